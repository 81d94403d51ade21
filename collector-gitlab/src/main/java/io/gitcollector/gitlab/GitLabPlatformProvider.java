package io.gitcollector.gitlab;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.gitlab.internal.GitLabClient;
import java.net.URI;

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
    if (repository.host().equals("gitlab.com")) {
      return true;
    }
    String host = config.apiBaseUrl().map(url -> URI.create(url).getHost()).orElse("");
    return config.setting("web_host").orElse(host).equalsIgnoreCase(repository.host());
  }

  /** The instance's origin: the configured URL's, or gitlab.com's. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(config.apiBaseUrl().orElse(DEFAULT_URL));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitLabClient(config, context);
  }
}
