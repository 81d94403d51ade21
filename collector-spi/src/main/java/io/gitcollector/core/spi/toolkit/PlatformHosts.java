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
    return serves(repository.host(), repository.port(), repository.authority(), config, publicHosts);
  }

  /** The same for an organization's (group's, workspace's) URL. */
  public static boolean serves(io.gitcollector.core.model.OrganizationRef organization, PlatformConfig config,
      Set<String> publicHosts) {
    return serves(organization.host(), organization.port(), organization.authority(), config, publicHosts);
  }

  private static boolean serves(String host, int port, String authority, PlatformConfig config,
      Set<String> publicHosts) {
    if (publicHosts.contains(host) && port < 0) {
      return true;
    }
    if (config.value(PlatformProvider.WEB_HOST).map(authority::equalsIgnoreCase).orElse(false)) {
      return true;
    }
    return config.apiBaseUrl().flatMap(RepositoryRef::authorityOf).map(authority::equals).orElse(false);
  }
}
