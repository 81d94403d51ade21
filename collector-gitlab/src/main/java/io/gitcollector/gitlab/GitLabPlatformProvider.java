package io.gitcollector.gitlab;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.WebhookSupport;
import io.gitcollector.core.spi.toolkit.PlatformHosts;
import java.util.List;
import java.util.Set;
import io.gitcollector.gitlab.internal.GitLabWebhooks;
import io.gitcollector.gitlab.internal.GitLabClient;

/**
 * Platform {@code gitlab}: gitlab.com, and a self-hosted GitLab when {@code GITLAB_URL} points at it (then repository
 * URLs on its host are accepted, nested groups included). The token ({@code GITLAB_TOKEN}) is a personal, group or
 * project access token.
 *
 * <p>Settings: {@code rate_limit_backoff_seconds} (wait after a 429 without rate-limit headers, default 30).
 */
public final class GitLabPlatformProvider implements PlatformProvider {
  public static final String ID = "gitlab";
  public static final String DEFAULT_URL = "https://gitlab.com";

  @Override
  public String id() {
    return ID;
  }

  /** gitlab.com, or a self-hosted instance: its web host (setting web_host) or the configured URL's host and port. */
  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return PlatformHosts.serves(repository, config, Set.of("gitlab.com"));
  }

  /** The instance's origin: the configured URL's, or gitlab.com's. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(config.apiBaseUrl().orElse(DEFAULT_URL));
  }

  @Override
  public java.util.Optional<WebhookSupport> webhooks() {
    return java.util.Optional.of(new WebhookSupport("X-Gitlab-Token", GitLabWebhooks::parse));
  }

  @Override
  public List<Setting> settings() {
    return GitLabClient.SETTINGS;
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitLabClient(config.apiBaseUrl().orElse(DEFAULT_URL), config, context);
  }
}
