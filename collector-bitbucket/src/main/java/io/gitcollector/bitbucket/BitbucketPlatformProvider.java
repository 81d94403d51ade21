package io.gitcollector.bitbucket;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.bitbucket.internal.BitbucketClient;
import io.gitcollector.bitbucket.internal.BitbucketWebhooks;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.toolkit.HostedPlatform;

/**
 * Platform {@code bitbucket}: Bitbucket Cloud. The token ({@code BITBUCKET_TOKEN}) is a workspace or repository access
 * token (sent as a bearer token) or {@code username:app-password} (sent as basic authentication).
 */
public final class BitbucketPlatformProvider extends HostedPlatform {
  public static final String ID = "bitbucket";
  public static final String DEFAULT_API_URL = "https://api.bitbucket.org/2.0";

  public BitbucketPlatformProvider() {
    super(Declaration.of(ID, DEFAULT_API_URL, "bitbucket.org", "www.bitbucket.org").pathSegments(2)
        .listsOrganizations().webhooks("X-Hub-Signature", BitbucketWebhooks::parse).settings(BitbucketClient.SETTINGS)
        .alsoServes(EntityKind.ISSUE, EntityKind.CI_RUN, EntityKind.DEPLOYMENT,
        EntityKind.RELEASE));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new BitbucketClient(apiUrl(config), config, context);
  }
}
