package io.gitcollector.github;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.github.internal.GitHubClient;
import java.net.URI;
import java.util.Locale;
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

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    if (repository.pathSegments().size() != 2) {
      return false;
    }
    String host = repository.host();
    if (PUBLIC_HOSTS.contains(host)) {
      return true;
    }
    if (config.setting("web_host").map(h -> h.equalsIgnoreCase(host)).orElse(false)) {
      return true;
    }
    return config.apiBaseUrl().map(GitHubPlatformProvider::hostOf).map(h -> h.equals(host)).orElse(false);
  }

  /** The REST API's origin and the GraphQL endpoint's, derived the way the client derives them. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(GitHubClient.restBase(config), GitHubClient.graphqlUrl(config));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitHubClient(config, context);
  }

  private static String hostOf(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? "" : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
