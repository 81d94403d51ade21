package io.gitcollector.core.engine;

import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one completed sync delivered: envelopes per stream, requests made, how long it took, and the declared kinds
 * the platform does not serve (skipped, never an error).
 */
public record SyncResult(
    String repositoryId, SyncMode mode, Map<StreamKind, Long> delivered, long requests, Duration duration,
    java.util.List<String> skippedKinds) {
  public SyncResult {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(mode, "mode");
    delivered = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(delivered));
    Objects.requireNonNull(duration, "duration");
    skippedKinds = java.util.List.copyOf(skippedKinds);
  }

  public SyncResult(String repositoryId, SyncMode mode, Map<StreamKind, Long> delivered, long requests,
      Duration duration) {
    this(repositoryId, mode, delivered, requests, duration, java.util.List.of());
  }

  public long delivered(StreamKind stream) {
    return delivered.getOrDefault(stream, 0L);
  }

  public long totalDelivered() {
    return delivered.values().stream().mapToLong(Long::longValue).sum();
  }
}
