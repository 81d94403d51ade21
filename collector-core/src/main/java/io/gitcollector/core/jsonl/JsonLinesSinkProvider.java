package io.gitcollector.core.jsonl;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import java.nio.file.Path;

/** Sink id {@code jsonl}; setting {@code data_dir} (default {@code ./collector-data}). */
public final class JsonLinesSinkProvider implements SinkProvider {
  public static final String ID = "jsonl";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Sink create(ComponentConfig config) {
    return new JsonLinesSink(config.path("data_dir", Path.of("collector-data")));
  }
}
