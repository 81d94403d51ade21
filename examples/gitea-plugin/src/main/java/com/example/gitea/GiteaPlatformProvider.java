package com.example.gitea;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import java.net.URI;
import java.util.Locale;

/**
 * Platform {@code gitea}: a Gitea server, found with ServiceLoader once this jar is on the class path. Configure it
 * with {@code GITEA_API_URL} (e.g. {@code https://gitea.example.com/api/v1}) and {@code GITEA_TOKEN}; repository URLs
 * on that host (or on gitea.com) are then collected by this plugin.
 */
public final class GiteaPlatformProvider implements PlatformProvider {
  public static final String ID = "gitea";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean accepts(RepositoryRef repository, PlatformConfig config) {
    if (repository.pathSegments().size() != 2) {
      return false;
    }
    if (repository.host().equals("gitea.com")) {
      return true;
    }
    String apiHost = config.apiBaseUrl().map(url -> URI.create(url).getHost()).orElse("");
    String webHost = config.setting("web_host").orElse(apiHost);
    return repository.host().equalsIgnoreCase(webHost.toLowerCase(Locale.ROOT));
  }

  @Override
  public PlatformClient create(PlatformConfig config, PlatformContext context) {
    return new GiteaClient(config.apiBaseUrl().orElse("https://gitea.com/api/v1"), config.token(), context.calls());
  }
}
