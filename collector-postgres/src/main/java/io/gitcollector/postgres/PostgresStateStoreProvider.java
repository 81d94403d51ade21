package io.gitcollector.postgres;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
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
    try {
      return new PostgresStateStore(PostgresSettings.open(config, "git-collector-state"));
    } catch (PostgresSettings.OpenFailed e) {
      throw new StateStoreException(e.getMessage(), e.getCause());
    }
  }
}
