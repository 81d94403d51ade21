package io.gitcollector.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.engine.PositionedSink;
import io.gitcollector.core.engine.StreamCheckpoint;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Health;
import io.gitcollector.postgres.internal.PostgresDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Envelopes into PostgreSQL: a table per kind (the migrations' {@code git.kind_tables} says which), a row per entity
 * holding its latest version's envelope as {@code jsonb} and typed columns generated from it. Each page is written
 * with its stream's position in one transaction, and the collector reads positions back from here
 * ({@link PositionedSink}): a page is in the database exactly when its position is, so no page is written twice,
 * whenever the process dies, and none is lost. A page is acknowledged after its commit.
 */
public final class PostgresSink implements PositionedSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OTHER = "other_envelopes";

  private final PostgresDatabase database;
  /** Event type to table, as the migrations declared them. */
  private final Map<String, String> tables;

  public PostgresSink(PostgresDatabase database) {
    this.database = database;
    Map<String, String> declared = new LinkedHashMap<>();
    try {
      database.inTransaction(connection -> {
        try (Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT event_type, table_name FROM git.kind_tables")) {
          while (rows.next()) {
            declared.put(rows.getString(1), rows.getString(2));
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw new SinkException("cannot read the kinds' tables from " + database.location() + ": " + e.getMessage(), e);
    }
    this.tables = Map.copyOf(declared);
  }

  /** The table that keeps this event type ({@code other_envelopes} for kinds no migration names). */
  public String tableOf(String eventType) {
    return tables.getOrDefault(eventType, OTHER);
  }

  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    return write(envelopes, Optional.empty());
  }

  @Override
  public CompletableFuture<Void> publish(String repositoryId, StreamKind stream, List<Envelope> envelopes,
      StreamCheckpoint after) {
    return write(envelopes, Optional.of(new Position(repositoryId, stream.key(), after)));
  }

  private record Position(String repositoryId, String stream, StreamCheckpoint checkpoint) {}

  /** Rows and position in one transaction; the future completes after the commit, or fails with the reason. */
  private CompletableFuture<Void> write(List<Envelope> envelopes, Optional<Position> position) {
    Map<String, List<Envelope>> byTable = new LinkedHashMap<>();
    envelopes.forEach(envelope -> byTable.computeIfAbsent(tableOf(envelope.eventType()), t -> new ArrayList<>())
        .add(envelope));
    try {
      database.inTransaction(connection -> {
        for (Map.Entry<String, List<Envelope>> table : byTable.entrySet()) {
          upsert(connection, table.getKey(), table.getValue());
        }
        if (position.isPresent()) {
          savePosition(connection, position.get());
        }
        return null;
      });
      return CompletableFuture.completedFuture(null);
    } catch (SQLException | RuntimeException e) {
      return CompletableFuture.failedFuture(new SinkException("PostgreSQL at " + database.location()
          + " did not commit " + envelopes.size() + " envelopes" + position.map(p -> " of " + p.stream() + " of "
          + p.repositoryId()).orElse("") + ": " + e.getMessage(), e));
    }
  }

  /**
   * One row per entity: a newer version replaces an older one (never the other way round), and the same version
   * delivered again only counts a delivery.
   */
  private static void upsert(Connection connection, String table, List<Envelope> envelopes) throws SQLException {
    String key = table.equals(OTHER) ? "event_type, repository_id, entity_key" : "repository_id, entity_key";
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO git." + table
        + " AS existing (repository_id, entity_key, event_id, event_type, entity_time, envelope)"
        + " VALUES (?, ?, ?::uuid, ?, ?, ?::jsonb)"
        + " ON CONFLICT (" + key + ") DO UPDATE SET event_id = EXCLUDED.event_id, event_type = EXCLUDED.event_type,"
        + " entity_time = EXCLUDED.entity_time, envelope = EXCLUDED.envelope, stored_at = now(),"
        + " change_sequence = nextval('git.changes'),"
        + " deliveries = CASE WHEN existing.event_id = EXCLUDED.event_id THEN existing.deliveries + 1 ELSE 1 END"
        + " WHERE existing.entity_time <= EXCLUDED.entity_time")) {
      for (Envelope envelope : envelopes) {
        insert.setString(1, envelope.repositoryId());
        insert.setString(2, envelope.data().key());
        insert.setString(3, envelope.eventId());
        insert.setString(4, envelope.eventType());
        insert.setTimestamp(5, Timestamp.from(envelope.timestamp()));
        insert.setString(6, new String(EnvelopeCodec.toJsonBytes(envelope), StandardCharsets.UTF_8));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void savePosition(Connection connection, Position position) throws SQLException {
    try (PreparedStatement save = connection.prepareStatement("INSERT INTO git.stream_positions"
        + " (repository_id, stream, checkpoint) VALUES (?, ?, ?::jsonb) ON CONFLICT (repository_id, stream)"
        + " DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()")) {
      save.setString(1, position.repositoryId());
      save.setString(2, position.stream());
      save.setString(3, JSON.writeValueAsString(position.checkpoint().toMap()));
      save.executeUpdate();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint is strings and a boolean", e);
    }
  }

  @Override
  public Optional<StreamCheckpoint> position(String repositoryId, StreamKind stream) {
    Optional<String> stored;
    try {
      stored = database.inTransaction(connection -> {
        try (PreparedStatement read = connection.prepareStatement("SELECT checkpoint::text FROM"
            + " git.stream_positions WHERE repository_id = ? AND stream = ?")) {
          read.setString(1, repositoryId);
          read.setString(2, stream.key());
          try (ResultSet row = read.executeQuery()) {
            return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
          }
        }
      });
    } catch (SQLException e) {
      throw new SinkException("cannot read the position of " + stream.key() + " of " + repositoryId + " from "
          + database.location() + ": " + e.getMessage(), e);
    }
    return stored.map(json -> {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.readValue(json, Map.class);
        return StreamCheckpoint.fromMap(map, "git.stream_positions of " + repositoryId + " " + stream.key() + " in "
            + database.location());
      } catch (IOException e) {
        throw new SinkException("the position of " + stream.key() + " of " + repositoryId + " in "
            + database.location() + " is not JSON: " + e.getMessage(), e);
      }
    });
  }

  @Override
  public void moveRepository(String fromId, String toId) {
    try {
      database.inTransaction(connection -> {
        try (PreparedStatement move = connection.prepareStatement("UPDATE git.stream_positions SET repository_id = ?,"
            + " updated_at = now() WHERE repository_id = ? AND NOT EXISTS (SELECT 1 FROM git.stream_positions"
            + " WHERE repository_id = ?)")) {
          move.setString(1, toId);
          move.setString(2, fromId);
          move.setString(3, toId);
          return move.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new SinkException("cannot move the positions of " + fromId + " to " + toId + " in "
          + database.location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Health health() {
    return database.health();
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
