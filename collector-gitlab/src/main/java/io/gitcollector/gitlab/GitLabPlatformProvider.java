package io.gitcollector.gitlab;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
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

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    if (repository.host().equals("gitlab.com") && repository.port() < 0) {
      return true;
    }
    // a self-hosted instance: its web host (setting web_host) or the configured URL's host and port
    String authority = config.setting("web_host")
        .or(() -> config.apiBaseUrl().flatMap(RepositoryRef::authorityOf)).orElse("");
    return authority.equalsIgnoreCase(repository.authority());
  }

  /** The instance's origin: the configured URL's, or gitlab.com's. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(config.apiBaseUrl().orElse(DEFAULT_URL));
  }

  @Override
  public java.util.Optional<String> webhookAuthenticationHeader() {
    return java.util.Optional.of("X-Gitlab-Token");
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitLabClient(config.apiBaseUrl().orElse(DEFAULT_URL), config, context);
  }
}
