package io.gitcollector.bitbucket;

import io.gitcollector.bitbucket.internal.BitbucketClient;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.WebhookSupport;
import io.gitcollector.core.spi.toolkit.PlatformHosts;
import io.gitcollector.bitbucket.internal.BitbucketWebhooks;
import java.util.Set;

/**
 * Platform {@code bitbucket}: Bitbucket Cloud. The token ({@code BITBUCKET_TOKEN}) is a workspace or repository access
 * token (sent as a bearer token) or {@code username:app-password} (sent as basic authentication).
 *
 * <p>Settings: {@code commit_files} (true: per-file changes in each commit; they come with the diffstat the adapter
 * reads anyway, so they cost nothing more), {@code web_host}, {@code rate_limit_backoff_seconds} (how long to wait
 * after a 429 that says nothing, default 30).
 */
public final class BitbucketPlatformProvider implements PlatformProvider {
  public static final String ID = "bitbucket";
  public static final String DEFAULT_API_URL = "https://api.bitbucket.org/2.0";
  private static final Set<String> HOSTS = Set.of("bitbucket.org", "www.bitbucket.org");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return repository.pathSegments().size() == 2 && PlatformHosts.serves(repository, config, HOSTS);
  }

  /** The API's origin: the configured base URL's, or api.bitbucket.org's. */
  @Override
  public ApiOrigins apiOrigins(PlatformConfig config) {
    return ApiOrigins.of(config.apiBaseUrl().orElse(DEFAULT_API_URL));
  }

  @Override
  public java.util.Optional<WebhookSupport> webhooks() {
    return java.util.Optional.of(new WebhookSupport("X-Hub-Signature", BitbucketWebhooks::parse));
  }

  @Override
  public java.util.List<Setting> settings() {
    return BitbucketClient.SETTINGS;
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new BitbucketClient(config.apiBaseUrl().orElse(DEFAULT_API_URL), config, context);
  }
}
