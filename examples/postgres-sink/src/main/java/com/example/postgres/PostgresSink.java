package com.example.postgres;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Sink;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Envelopes into PostgreSQL: one table per topic ({@code commits}, {@code pull_requests}, {@code repositories}), a
 * row per envelope keyed by {@code event_id}, the envelope itself as {@code jsonb}. A batch is written in one
 * transaction, {@code ON CONFLICT (event_id) DO NOTHING} makes re-deliveries harmless, and the batch is acknowledged
 * only after the transaction committed: the collector's cursors never pass a row that is not in the database.
 */
public final class PostgresSink implements Sink {
  private static final Map<String, String> TABLES = Map.of(
      "git.commits", "commits", "git.pull_requests", "pull_requests", "git.repositories", "repositories");

  private final Connection connection;
  private final String description;

  public PostgresSink(String jdbcUrl, String user, String password) {
    try {
      this.connection = DriverManager.getConnection(jdbcUrl, user, password);
      connection.setAutoCommit(false);
      createTables();
    } catch (SQLException e) {
      throw new SinkException("cannot open PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
    }
    this.description = "postgres:" + jdbcUrl;
  }

  private void createTables() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String table : TABLES.values()) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
            + "event_id uuid PRIMARY KEY, "
            + "repository_id text NOT NULL, "
            + "event_type text NOT NULL, "
            + "entity_time timestamptz NOT NULL, "
            + "envelope jsonb NOT NULL, "
            + "stored_at timestamptz NOT NULL DEFAULT now())");
        statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_repository ON " + table
            + " (repository_id, entity_time)");
      }
    }
    connection.commit();
  }

  /** Writes the batch in one transaction; the future completes after the commit, or fails with the reason. */
  @Override
  public synchronized CompletableFuture<Void> publish(List<Envelope> envelopes) {
    try {
      for (Map.Entry<String, String> table : TABLES.entrySet()) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table.getValue()
            + " (event_id, repository_id, event_type, entity_time, envelope) VALUES (?::uuid, ?, ?, ?, ?::jsonb)"
            + " ON CONFLICT (event_id) DO NOTHING")) {
          int rows = 0;
          for (Envelope envelope : envelopes) {
            if (!envelope.defaultTopic().equals(table.getKey())) {
              continue;
            }
            insert.setString(1, envelope.eventId());
            insert.setString(2, envelope.repositoryId());
            insert.setString(3, envelope.eventType());
            insert.setTimestamp(4, Timestamp.from(envelope.timestamp()));
            insert.setString(5, new String(EnvelopeCodec.toJsonBytes(envelope), StandardCharsets.UTF_8));
            insert.addBatch();
            rows++;
          }
          if (rows > 0) {
            insert.executeBatch();
          }
        }
      }
      connection.commit();
      return CompletableFuture.completedFuture(null);
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      return CompletableFuture.failedFuture(new SinkException("PostgreSQL did not commit " + envelopes.size()
          + " envelopes: " + e.getMessage(), e));
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new SinkException("cannot close the PostgreSQL connection: " + e.getMessage(), e);
    }
  }
}
