package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import java.util.Set;

/**
 * Which repository URLs a hosted platform serves: its public hosts on their default port ({@code github.com:1} is no
 * GitHub), the host the {@code web_host} setting names (an instance whose repositories live on another host than its
 * API), or the configured API URL's host and port (a self-hosted instance serving both on one host).
 */
public final class PlatformHosts {
  private PlatformHosts() {}

  public static boolean serves(RepositoryRef repository, PlatformConfig config, Set<String> publicHosts) {
    if (publicHosts.contains(repository.host()) && repository.port() < 0) {
      return true;
    }
    if (config.value(PlatformProvider.WEB_HOST).map(host -> host.equalsIgnoreCase(repository.authority())).orElse(false)) {
      return true;
    }
    return config.apiBaseUrl().flatMap(RepositoryRef::authorityOf).map(repository.authority()::equals)
        .orElse(false);
  }
}
