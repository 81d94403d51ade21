package io.gitcollector.postgres;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import io.gitcollector.postgres.internal.PostgresDatabase;
import java.sql.SQLException;
import java.util.List;

/**
 * State store id {@code postgres} ({@code COLLECTOR_STATE=postgres}, the same {@code POSTGRES_*} settings as the
 * sink): see {@link PostgresStateStore}.
 */
public final class PostgresStateStoreProvider implements StateStoreProvider {
  @Override
  public String id() {
    return PostgresSettings.ID;
  }

  @Override
  public List<Setting> settings() {
    return PostgresSettings.SETTINGS;
  }

  @Override
  public StateStore create(ComponentConfig config) {
    PostgresSettings.Connection connection = PostgresSettings.connection(config);
    try {
      return new PostgresStateStore(PostgresDatabase.open(connection.jdbcUrl(), connection.user(),
          connection.password(), connection.poolSize(), connection.location(), "git-collector-state"));
    } catch (SQLException e) {
      throw new StateStoreException("cannot open PostgreSQL at " + connection.location() + " for the state store: "
          + e.getMessage(), e);
    }
  }
}
