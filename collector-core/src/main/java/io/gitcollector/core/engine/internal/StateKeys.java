package io.gitcollector.core.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.StreamCheckpoint;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.StateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** How the engine lays out its state: a checkpoint per repository and stream, and a status per repository. */
public final class StateKeys {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StateKeys() {}

  public static String checkpointKey(String repositoryId, StreamKind stream) {
    return "cursor/" + repositoryId + "/" + stream.key();
  }

  /** When the full pass in progress for a repository began; absent when none is. */
  public static String fullPassKey(String repositoryId) {
    return "fullpass/" + repositoryId;
  }

  public static Optional<Instant> fullPassStart(StateStore store, String repositoryId) {
    return store.get(fullPassKey(repositoryId)).map(Instant::parse);
  }

  /**
   * The requests the repository's last sync over everything made (a whole full sync, or its first): what planning
   * takes its next full one to cost.
   */
  public static String fullSyncCostKey(String repositoryId) {
    return "cost/" + repositoryId;
  }

  /**
   * The repository's activity per day (the status page's chart), kept by whoever charts it; it moves with renames
   * like the rest of the repository's state.
   */
  public static String activityKey(String repositoryId) {
    return "activity/" + repositoryId;
  }

  /** The repository a key of this layout belongs to: {@code cursor/<id>/<stream>}, {@code status/<id>}, … */
  public static Optional<String> repositoryOf(String key) {
    if (key.startsWith("cursor/") && key.lastIndexOf('/') > "cursor/".length()) {
      return Optional.of(key.substring("cursor/".length(), key.lastIndexOf('/')));
    }
    for (String prefix : new String[] {"status/", "fullpass/", "cost/", "activity/"}) {
      if (key.startsWith(prefix)) {
        return Optional.of(key.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  /**
   * Moves a repository's cursors, status and full-pass mark to the id it has after a rename, so that its next sync
   * goes on from where the old id stopped. Nothing moves when the new id already has cursors of its own (a sync under
   * the new id ran first); moving twice is harmless.
   */
  public static void moveRepository(StateStore store, String fromId, String toId) {
    if (fromId.equals(toId) || !store.scan("cursor/" + toId + "/").isEmpty()) {
      return;
    }
    Map<String, String> moved = new java.util.LinkedHashMap<>();
    store.scan("cursor/" + fromId + "/").forEach((key, value) ->
        moved.put("cursor/" + toId + key.substring(("cursor/" + fromId).length()), value));
    store.get(fullPassKey(fromId)).ifPresent(start -> moved.put(fullPassKey(toId), start));
    store.get(fullSyncCostKey(fromId)).ifPresent(cost -> moved.put(fullSyncCostKey(toId), cost));
    store.get(activityKey(fromId)).ifPresent(activity -> moved.put(activityKey(toId), activity));
    moved.forEach(store::put);
    loadStatus(store, fromId).ifPresent(status -> saveStatus(store, new SyncStatus(toId, status.state(),
        status.lastSync(), status.lastStarted(), status.lastError(), status.lastCounts())));
    store.scan("cursor/" + fromId + "/").keySet().forEach(store::remove);
    store.remove(statusKey(fromId));
    store.remove(fullPassKey(fromId));
    store.remove(fullSyncCostKey(fromId));
    store.remove(activityKey(fromId));
  }

  public static String statusKey(String repositoryId) {
    return "status/" + repositoryId;
  }

  public static Optional<StreamCheckpoint> loadCheckpoint(StateStore store, String repositoryId,
      StreamKind stream) {
    String key = checkpointKey(repositoryId, stream);
    return store.get(key).map(text -> {
      JsonNode node = parse(text, store, key);
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON.convertValue(node, Map.class);
      return StreamCheckpoint.fromMap(map, store.locationOf(key));
    });
  }

  public static void saveCheckpoint(StateStore store, String repositoryId, StreamKind stream,
      StreamCheckpoint checkpoint) {
    try {
      store.put(checkpointKey(repositoryId, stream), JSON.writeValueAsString(checkpoint.toMap()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint is strings and a boolean", e);
    }
  }

  public static Optional<SyncStatus> loadStatus(StateStore store, String repositoryId) {
    return store.get(statusKey(repositoryId)).map(text -> readStatus(store, repositoryId, text));
  }

  /** Every repository's status, in one scan of the store, by repository id. */
  public static Map<String, SyncStatus> loadStatuses(StateStore store) {
    Map<String, SyncStatus> statuses = new java.util.TreeMap<>();
    store.scan("status/").forEach((key, text) -> {
      String repositoryId = key.substring("status/".length());
      statuses.put(repositoryId, readStatus(store, repositoryId, text));
    });
    return statuses;
  }

  private static SyncStatus readStatus(StateStore store, String repositoryId, String text) {
    JsonNode node = parse(text, store, statusKey(repositoryId));
    Map<String, Long> counts = new LinkedHashMap<>();
    node.path("last_counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return new SyncStatus(
        repositoryId,
        SyncStatus.State.valueOf(node.path("state").asText("IDLE")),
        instant(node, "last_sync"),
        instant(node, "last_started"),
        Optional.ofNullable(node.get("last_error")).filter(JsonNode::isTextual).map(JsonNode::asText),
        counts);
  }

  public static void saveStatus(StateStore store, SyncStatus status) {
    ObjectNode node = JSON.createObjectNode();
    node.put("state", status.state().name());
    status.lastSync().ifPresent(t -> node.put("last_sync", t.toString()));
    status.lastStarted().ifPresent(t -> node.put("last_started", t.toString()));
    status.lastError().ifPresent(e -> node.put("last_error", e));
    ObjectNode counts = node.putObject("last_counts");
    status.lastCounts().forEach(counts::put);
    store.put(statusKey(status.repositoryId()), node.toString());
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    return Optional.ofNullable(node.get(field)).filter(JsonNode::isTextual).map(n -> Instant.parse(n.asText()));
  }

  private static JsonNode parse(String text, StateStore store, String key) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new StateStoreException("state '" + key + "' in " + store.locationOf(key) + " is not valid JSON ("
          + e.getClass().getSimpleName() + "); remove it to start over", e);
    }
  }
}
