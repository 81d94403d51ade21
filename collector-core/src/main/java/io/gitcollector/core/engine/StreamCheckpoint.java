package io.gitcollector.core.engine;

import io.gitcollector.core.model.StateStoreException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one stream of one repository stands: the adapter's cursor after a page, whether that page closed a complete
 * pass, and when it was reached. The engine keeps it in its state store once the sink acknowledged the page, or hands
 * it to a {@link PositionedSink} with the page, which keeps it beside the data (Kafka Connect's source offsets).
 *
 * <p>Its one serialized shape is {@link #toMap()}: the state store's JSON and Connect's offset maps are both it.
 */
public record StreamCheckpoint(String cursor, boolean complete, Instant savedAt) {
  static final String CURSOR = "cursor";
  static final String COMPLETE = "complete";
  static final String SAVED_AT = "saved_at";

  public StreamCheckpoint {
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(savedAt, "savedAt");
  }

  public StreamCheckpoint(String cursor, boolean complete) {
    this(cursor, complete, Instant.now());
  }

  /** {@code cursor}, {@code complete}, {@code saved_at}: strings and a boolean, as JSON and Connect offsets carry. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(CURSOR, cursor);
    map.put(COMPLETE, complete);
    map.put(SAVED_AT, savedAt.toString());
    return map;
  }

  /**
   * Reads {@link #toMap()}'s shape back; a missing {@code saved_at} reads as the epoch (older state).
   *
   * @param where where the map was kept, for the error naming it
   * @throws StateStoreException if the map is not that shape
   */
  public static StreamCheckpoint fromMap(Map<String, ?> map, String where) {
    Object cursor = map.get(CURSOR);
    Object complete = map.get(COMPLETE);
    Object savedAt = map.get(SAVED_AT);
    if (!(cursor instanceof String text)) {
      throw new StateStoreException("the checkpoint in " + where + " has no text '" + CURSOR + "'; remove it to"
          + " start the stream over");
    }
    if (complete != null && !(complete instanceof Boolean)) {
      throw new StateStoreException("the checkpoint in " + where + " has a '" + COMPLETE + "' that is not a boolean"
          + "; remove it to start the stream over");
    }
    Instant saved;
    try {
      saved = savedAt == null ? Instant.EPOCH : Instant.parse(savedAt.toString());
    } catch (DateTimeParseException e) {
      throw new StateStoreException("the checkpoint in " + where + " has a '" + SAVED_AT + "' that is not an"
          + " ISO-8601 instant; remove it to start the stream over", e);
    }
    return new StreamCheckpoint(text, Boolean.TRUE.equals(complete), saved);
  }

  /** The same, for a map that may be absent (no checkpoint yet). */
  public static Optional<StreamCheckpoint> fromOptionalMap(Map<String, ?> map, String where) {
    return map == null || map.isEmpty() ? Optional.empty() : Optional.of(fromMap(map, where));
  }
}
