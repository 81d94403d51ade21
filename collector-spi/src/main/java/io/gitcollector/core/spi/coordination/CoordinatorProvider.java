package io.gitcollector.core.spi.coordination;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;

/** Creates a coordinator for several instances from configuration; found with {@link java.util.ServiceLoader}. */
public interface CoordinatorProvider {

  /** {@code redis}, … */
  String id();

  Coordinator create(ComponentConfig config, String instanceId);

  /**
   * The settings it reads, declared once: the environment variables ({@code <ID>_<NAME>} unless a setting names its
   * own), configuration-file keys, {@code --help} and the README's table derive from them. Default: none.
   */
  default java.util.List<Setting> settings() {
    return java.util.List.of();
  }
}
