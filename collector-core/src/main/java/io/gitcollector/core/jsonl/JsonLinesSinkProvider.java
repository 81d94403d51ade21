package io.gitcollector.core.jsonl;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import java.nio.file.Path;
import java.util.List;

/** Sink id {@code jsonl}, the embedded default: one file per topic under the data directory. */
public final class JsonLinesSinkProvider implements SinkProvider {
  public static final String ID = "jsonl";
  /** The embedded defaults' directory: this sink's files, and the file state store's under {@code state/}. */
  public static final Setting DATA_DIR = Setting.path("data_dir").environment("COLLECTOR_DATA_DIR")
      .withDefault("collector-data").doc("directory of the JSON-lines sink and the file state store");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<Setting> settings() {
    return List.of(DATA_DIR);
  }

  @Override
  public Sink create(ComponentConfig config) {
    return new JsonLinesSink(Path.of(config.require(DATA_DIR)));
  }
}
