package io.gitcollector.testkit.compat;

import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.state.FileStateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default state store runs the state-store kit. */
class FileStateStoreCompatibilityTest extends StateStoreCompatibilityKit {
  @TempDir Path directory;

  @Override
  protected StateStore createStore() {
    return new FileStateStore(directory);
  }

  @Override
  protected StateStore reopenStore() {
    return new FileStateStore(directory);
  }
}
