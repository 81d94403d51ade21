package com.example.gitea;

import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.toolkit.HostedPlatform;

/**
 * Platform {@code gitea}: a Gitea server, found with ServiceLoader once this jar is on the class path. Configure it
 * with {@code GITEA_API_URL} (e.g. {@code https://gitea.example.com/api/v1}) and {@code GITEA_TOKEN}; repository URLs
 * on that host (or on gitea.com, or the {@code GITEA_WEB_HOST} host) are then collected by this plugin.
 */
public final class GiteaPlatformProvider extends HostedPlatform {
  public GiteaPlatformProvider() {
    super(Declaration.of("gitea", "https://gitea.com/api/v1", "gitea.com").pathSegments(2));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GiteaClient(apiUrl(config), config.token(), context.calls());
  }
}
