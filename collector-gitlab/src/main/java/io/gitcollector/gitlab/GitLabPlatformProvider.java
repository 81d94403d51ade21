package io.gitcollector.gitlab;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.toolkit.HostedPlatform;
import io.gitcollector.gitlab.internal.GitLabClient;
import io.gitcollector.gitlab.internal.GitLabWebhooks;

/**
 * Platform {@code gitlab}: gitlab.com, and a self-hosted GitLab when {@code GITLAB_URL} points at it (then repository
 * URLs on its host are accepted, nested groups included). The token ({@code GITLAB_TOKEN}) is a personal, group or
 * project access token.
 */
public final class GitLabPlatformProvider extends HostedPlatform {
  public static final String ID = "gitlab";
  public static final String DEFAULT_URL = "https://gitlab.com";

  public GitLabPlatformProvider() {
    super(Declaration.of(ID, DEFAULT_URL, "gitlab.com").listsOrganizations().webhooks("X-Gitlab-Token", GitLabWebhooks::parse)
        .settings(GitLabClient.SETTINGS).alsoServes(EntityKind.ISSUE, EntityKind.CI_RUN, EntityKind.DEPLOYMENT, EntityKind.RELEASE));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GitLabClient(apiUrl(config), config, context);
  }
}
