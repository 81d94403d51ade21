package io.gitcollector.postgres;

import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.postgres.internal.PostgresDatabase;
import java.sql.SQLException;
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
    PostgresSettings.Connection connection = PostgresSettings.connection(config);
    try {
      return new PostgresSink(PostgresDatabase.open(connection.jdbcUrl(), connection.user(), connection.password(),
          connection.poolSize(), connection.location(), "git-collector-sink"));
    } catch (SQLException e) {
      throw new SinkException("cannot open PostgreSQL at " + connection.location() + " for the sink: "
          + e.getMessage(), e);
    }
  }
}
