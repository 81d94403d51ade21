package io.gitcollector.core.engine;

import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What one completed sync delivered: envelopes per stream, requests made, and how long it took. */
public record SyncResult(
    String repositoryId, SyncMode mode, Map<StreamKind, Long> delivered, long requests, Duration duration) {
  public SyncResult {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(mode, "mode");
    delivered = Map.copyOf(delivered);
    Objects.requireNonNull(duration, "duration");
  }

  public long delivered(StreamKind stream) {
    return delivered.getOrDefault(stream, 0L);
  }

  public long totalDelivered() {
    return delivered.values().stream().mapToLong(Long::longValue).sum();
  }
}
