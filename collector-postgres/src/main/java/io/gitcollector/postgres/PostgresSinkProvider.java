package io.gitcollector.postgres;

import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import java.util.List;

/** Sink id {@code postgres} ({@code COLLECTOR_SINK=postgres}, {@code POSTGRES_URL}, …): see {@link PostgresSink}. */
public final class PostgresSinkProvider implements SinkProvider {
  @Override
  public String id() {
    return PostgresSettings.ID;
  }

  @Override
  public List<Setting> settings() {
    return PostgresSettings.SETTINGS;
  }

  @Override
  public Sink create(ComponentConfig config) {
    try {
      return new PostgresSink(PostgresSettings.open(config, "git-collector-sink"));
    } catch (PostgresSettings.OpenFailed e) {
      throw new SinkException(e.getMessage(), e.getCause());
    }
  }
}
