package io.gitcollector.github;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.toolkit.HostedPlatform;
import io.gitcollector.github.internal.GitHubClient;
import io.gitcollector.github.internal.GitHubWebhooks;

/**
 * Platform {@code github}: github.com (on its own port only: {@code github.com:1} is no GitHub), and GitHub Enterprise
 * Server when the API base URL points at it (it serves repositories and its API on one host).
 */
public final class GitHubPlatformProvider extends HostedPlatform {
  public static final String ID = "github";
  public static final String DEFAULT_API_URL = "https://api.github.com";

  public GitHubPlatformProvider() {
    super(Declaration.of(ID, DEFAULT_API_URL, "github.com", "www.github.com", "api.github.com").pathSegments(2)
        .listsOrganizations().webhooks("X-Hub-Signature-256", GitHubWebhooks::parse).settings(GitHubClient.SETTINGS)
        .alsoServes(EntityKind.ISSUE, EntityKind.CI_RUN, EntityKind.DEPLOYMENT,
        EntityKind.RELEASE));
  }

  /** The REST API's origin and the GraphQL endpoint's, derived the way the client derives them. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(apiUrl(config), graphqlUrl(config));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitHubClient(apiUrl(config), graphqlUrl(config), config, context);
  }

  /** The GraphQL endpoint: the {@code graphql_url} setting, or derived from the REST base URL. */
  private String graphqlUrl(PlatformConfig config) {
    String restBase = apiUrl(config);
    return config.value(GitHubClient.GRAPHQL_URL).orElseGet(() -> restBase.endsWith("/api/v3")
        ? restBase.substring(0, restBase.length() - "/v3".length()) + "/graphql"
        : restBase + "/graphql");
  }
}
