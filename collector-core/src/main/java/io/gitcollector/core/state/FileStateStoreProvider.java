package io.gitcollector.core.state;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import java.nio.file.Path;

/** State store id {@code file}; setting {@code state_dir} (default {@code ./collector-data/state}). */
public final class FileStateStoreProvider implements StateStoreProvider {
  public static final String ID = "file";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public StateStore create(ComponentConfig config) {
    return new FileStateStore(config.path("state_dir", Path.of("collector-data", "state")));
  }
}
