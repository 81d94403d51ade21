package io.gitcollector.core.engine;

import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.spi.Sink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A sink that keeps each stream's position itself, beside the data it delivers, so that the two cannot disagree:
 * Kafka Connect writes a source task's offsets with its records (in one transaction, with exactly-once delivery). The
 * engine then reads positions from the sink instead of its state store, and hands each page over with the
 * checkpoint that holds once that page, and every page of the stream before it, is delivered.
 */
public interface PositionedSink extends Sink {

  /** Where the stream stands by what this sink delivered or holds for delivery; empty if it never ran. */
  Optional<StreamCheckpoint> position(String repositoryId, StreamKind stream);

  /**
   * A page of one stream and the checkpoint after it. {@code envelopes} may be empty: a page that found nothing new
   * still moves its stream. Completes like {@link Sink#publish(List)}.
   */
  CompletableFuture<Void> publish(String repositoryId, StreamKind stream, List<Envelope> envelopes,
      StreamCheckpoint after);

  /**
   * A followed repository was renamed or moved: its streams' positions follow it to its new id, so that its next
   * collection goes on where the old id stopped (as the state store's cursors do). Nothing moves when the new id has
   * positions of its own. A sink that cannot move positions (Kafka Connect's offsets) collects the new id afresh.
   */
  default void moveRepository(String fromId, String toId) {}
}
