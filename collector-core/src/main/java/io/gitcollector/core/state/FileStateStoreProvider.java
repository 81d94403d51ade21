package io.gitcollector.core.state;

import io.gitcollector.core.jsonl.JsonLinesSinkProvider;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import java.nio.file.Path;
import java.util.List;

/** State store id {@code file}, the embedded default: under {@code state/} of the data directory. */
public final class FileStateStoreProvider implements StateStoreProvider {
  public static final String ID = "file";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<Setting> settings() {
    return List.of(JsonLinesSinkProvider.DATA_DIR);
  }

  @Override
  public StateStore create(ComponentConfig config) {
    return new FileStateStore(Path.of(config.require(JsonLinesSinkProvider.DATA_DIR)).resolve("state"));
  }
}
