package io.gitcollector.github;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.WebhookSupport;
import io.gitcollector.core.spi.toolkit.PlatformHosts;
import io.gitcollector.github.internal.GitHubWebhooks;
import io.gitcollector.github.internal.GitHubClient;
import java.util.List;
import java.util.Set;

/**
 * Platform {@code github}: github.com, and GitHub Enterprise Server when the API base URL points at it.
 *
 * <p>Settings: {@code commit_files} (true: per-file changes for every commit, one extra request per commit;
 * default false), {@code web_host} (the host of repository URLs when it differs from the API host),
 * {@code graphql_url} (default: derived from the API base URL).
 */
public final class GitHubPlatformProvider implements PlatformProvider {
  public static final String ID = "github";
  public static final String DEFAULT_API_URL = "https://api.github.com";
  private static final Set<String> PUBLIC_HOSTS = Set.of("github.com", "www.github.com", "api.github.com");

  @Override
  public String id() {
    return ID;
  }

  /**
   * github.com (on its own port only: {@code github.com:1} is no GitHub), the {@code web_host} setting, or the
   * configured API URL's host and port (GitHub Enterprise Server serves both on one host).
   */
  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return repository.pathSegments().size() == 2 && PlatformHosts.serves(repository, config, PUBLIC_HOSTS);
  }

  /** The REST API's origin and the GraphQL endpoint's, derived the way the client derives them. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(restBase(config), graphqlUrl(config));
  }

  @Override
  public java.util.Optional<WebhookSupport> webhooks() {
    return java.util.Optional.of(new WebhookSupport("X-Hub-Signature-256", GitHubWebhooks::parse));
  }

  @Override
  public List<Setting> settings() {
    return GitHubClient.SETTINGS;
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitHubClient(restBase(config), graphqlUrl(config), config, context);
  }

  /** The REST base URL: the configured one, or github.com's. */
  static String restBase(PlatformConfig config) {
    String url = config.apiBaseUrl().orElse(DEFAULT_API_URL);
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The GraphQL endpoint: the {@code graphql_url} setting, or derived from the REST base URL. */
  static String graphqlUrl(PlatformConfig config) {
    String restBase = restBase(config);
    return config.value(GitHubClient.GRAPHQL_URL).orElseGet(() -> restBase.endsWith("/api/v3")
        ? restBase.substring(0, restBase.length() - "/v3".length()) + "/graphql"
        : restBase + "/graphql");
  }
}
