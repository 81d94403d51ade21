package io.gitcollector.core.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a repository's collection.
 *
 * @param state idle (never synced), running, completed or failed
 * @param lastSync when the last sync completed successfully
 * @param lastStarted when the last sync started
 * @param lastError the message of the last failure, if the last sync failed
 * @param lastCounts envelopes delivered per stream by the last sync
 */
public record SyncStatus(
    String repositoryId,
    State state,
    Optional<Instant> lastSync,
    Optional<Instant> lastStarted,
    Optional<String> lastError,
    Map<String, Long> lastCounts) {

  public enum State {
    IDLE,
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED
  }

  public SyncStatus {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastSync, "lastSync");
    Objects.requireNonNull(lastStarted, "lastStarted");
    Objects.requireNonNull(lastError, "lastError");
    lastCounts = Map.copyOf(lastCounts);
  }

  public static SyncStatus idle(String repositoryId) {
    return new SyncStatus(repositoryId, State.IDLE, Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
  }
}
