package io.gitcollector.core.spi;

import io.gitcollector.core.model.Envelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where envelopes go. {@link #publish} completes only when every envelope of the batch is durably accepted (written
 * and synced, or acknowledged by the broker); the engine moves cursors only after that. A batch holds envelopes of one
 * repository, in collection order; sinks keep that order per repository.
 *
 * <p>The engine may hand over the next batch of a stream before the previous one is acknowledged (it saves cursors in
 * order as acknowledgements arrive), so a sink delivers batches of one repository in the order it received them.
 *
 * <p>Implementations must be safe to call from several threads.
 */
public interface Sink extends AutoCloseable {

  /** Accepts a batch; the future fails with a {@link io.gitcollector.core.model.SinkException} if it was not. */
  CompletableFuture<Void> publish(List<Envelope> envelopes);

  /** A short description of where envelopes go, for status and health output; never a credential. */
  default String describe() {
    return getClass().getSimpleName();
  }

  /**
   * Whether the destination would accept envelopes now (Kafka: the cluster answers a metadata request; files: the
   * directory is writable). Bounded in time; may be cached for a few seconds.
   */
  default Health health() {
    return Health.unknown();
  }

  /** Flushes and releases resources; envelopes accepted before still reach their destination. */
  @Override
  default void close() {}
}
