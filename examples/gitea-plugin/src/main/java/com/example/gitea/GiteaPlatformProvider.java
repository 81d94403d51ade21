package com.example.gitea;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.toolkit.PlatformHosts;
import java.util.Set;

/**
 * Platform {@code gitea}: a Gitea server, found with ServiceLoader once this jar is on the class path. Configure it
 * with {@code GITEA_API_URL} (e.g. {@code https://gitea.example.com/api/v1}) and {@code GITEA_TOKEN}; repository URLs
 * on that host (or on gitea.com, or the {@code web_host} setting) are then collected by this plugin.
 */
public final class GiteaPlatformProvider implements PlatformProvider {
  @Override
  public String id() {
    return "gitea";
  }

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    return repository.pathSegments().size() == 2 && PlatformHosts.serves(repository, config, Set.of("gitea.com"));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GiteaClient(config.apiBaseUrl().orElse("https://gitea.com/api/v1"), config.token(), context.calls());
  }
}
