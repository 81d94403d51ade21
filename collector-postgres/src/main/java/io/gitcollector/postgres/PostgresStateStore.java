package io.gitcollector.postgres;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.postgres.internal.PostgresDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The collector's state in PostgreSQL ({@code git.collector_state}): one row per key, each write its own transaction,
 * keys with an expiry forgotten once it passed. Beside the PostgreSQL sink, which keeps the streams' positions with
 * their data, it keeps the rest (statuses, subscriptions, webhook delivery ids) in the same database.
 */
public final class PostgresStateStore implements StateStore {
  private static final String LIVE = "(expires_at IS NULL OR expires_at > now())";

  private final PostgresDatabase database;

  public PostgresStateStore(PostgresDatabase database) {
    this.database = database;
  }

  private <T> T transaction(String what, PostgresDatabase.Work<T> work) {
    try {
      return database.inTransaction(work);
    } catch (SQLException e) {
      throw new StateStoreException("cannot " + what + " in PostgreSQL at " + database.location() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> get(String key) {
    return transaction("read state '" + key + "'", connection -> {
      try (PreparedStatement read = connection.prepareStatement("SELECT value FROM git.collector_state WHERE key = ?"
          + " AND " + LIVE)) {
        read.setString(1, key);
        try (ResultSet row = read.executeQuery()) {
          return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void put(String key, String value) {
    transaction("write state '" + key + "'", connection -> {
      try (PreparedStatement write = connection.prepareStatement("INSERT INTO git.collector_state (key, value)"
          + " VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = NULL")) {
        write.setString(1, key);
        write.setString(2, value);
        return write.executeUpdate();
      }
    });
  }

  @Override
  public void remove(String key) {
    transaction("remove state '" + key + "'", connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM git.collector_state WHERE key = ?")) {
        delete.setString(1, key);
        return delete.executeUpdate();
      }
    });
  }

  @Override
  public boolean putIfAbsent(String key, String value) {
    return insertIfAbsent(key, value, Optional.empty());
  }

  @Override
  public boolean putIfAbsent(String key, String value, Duration expiry) {
    return insertIfAbsent(key, value, Optional.of(expiry));
  }

  /** Inserts, or takes the place of an entry that expired; the row lock makes concurrent callers take turns. */
  private boolean insertIfAbsent(String key, String value, Optional<Duration> expiry) {
    return transaction("write state '" + key + "'", connection -> {
      try (PreparedStatement write = connection.prepareStatement("INSERT INTO git.collector_state AS existing"
          + " (key, value, expires_at) VALUES (?, ?, now() + ? * interval '1 millisecond') ON CONFLICT (key) DO UPDATE"
          + " SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at"
          + " WHERE existing.expires_at IS NOT NULL AND existing.expires_at <= now()")) {
        write.setString(1, key);
        write.setString(2, value);
        if (expiry.isPresent()) {
          write.setLong(3, expiry.get().toMillis());
        } else {
          write.setNull(3, java.sql.Types.BIGINT);
        }
        return write.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Map<String, String> scan(String prefix) {
    return transaction("scan state '" + prefix + "…'", connection -> {
      try (PreparedStatement read = connection.prepareStatement("SELECT key, value FROM git.collector_state"
          + " WHERE starts_with(key, ?) AND " + LIVE)) {
        read.setString(1, prefix);
        Map<String, String> entries = new TreeMap<>();
        try (ResultSet rows = read.executeQuery()) {
          while (rows.next()) {
            entries.put(rows.getString(1), rows.getString(2));
          }
        }
        return entries;
      }
    });
  }

  @Override
  public Health health() {
    return database.health();
  }

  @Override
  public String locationOf(String key) {
    return "git.collector_state '" + key + "' in " + database.location();
  }

  @Override
  public String describe() {
    return database.describe();
  }

  @Override
  public void close() {
    database.close();
  }
}
