package io.gitcollector.testkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.spi.Sink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Sink} honours. An implementation proves itself with a subclass that creates the sink and
 * reads back the event ids that reached its destination, in the order the destination keeps for one repository.
 */
public abstract class SinkCompatibilityKit {

  /** A fresh sink writing to a fresh destination. */
  protected abstract Sink createSink() throws Exception;

  /** Event ids of one repository as its destination holds them, in its per-repository order. */
  protected abstract List<String> deliveredEventIds(String repositoryId) throws Exception;

  /** How long an acknowledgement may take (a broker needs longer than a file). */
  protected long acknowledgementTimeoutSeconds() {
    return 30;
  }

  @Test
  void anAcknowledgedBatchIsAtItsDestination() throws Exception {
    String repository = "github:github.com/kit/ack";
    List<Envelope> batch = new ArrayList<>();
    batch.add(SampleEnvelopes.repository(repository));
    for (int i = 0; i < 25; i++) {
      batch.add(SampleEnvelopes.commit(repository, i));
    }
    batch.add(SampleEnvelopes.pullRequest(repository, 7));
    try (Sink sink = createSink()) {
      sink.publish(batch).get(acknowledgementTimeoutSeconds(), TimeUnit.SECONDS);
      List<String> delivered = deliveredEventIds(repository);
      assertEquals(new HashSet<>(batch.stream().map(Envelope::eventId).toList()), new HashSet<>(delivered));
    }
  }

  @Test
  void anEmptyBatchIsAcknowledged() throws Exception {
    try (Sink sink = createSink()) {
      sink.publish(List.of()).get(acknowledgementTimeoutSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void batchesOfOneRepositoryKeepTheirOrderWhileOtherRepositoriesPublishConcurrently() throws Exception {
    List<String> repositories = List.of("github:github.com/kit/a", "github:github.com/kit/b", "github:github.com/kit/c");
    ExecutorService pool = Executors.newFixedThreadPool(repositories.size());
    try (Sink sink = createSink()) {
      List<Future<List<String>>> published = new ArrayList<>();
      for (String repository : repositories) {
        published.add(pool.submit(() -> {
          List<String> ids = new ArrayList<>();
          for (int batch = 0; batch < 10; batch++) {
            List<Envelope> envelopes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
              envelopes.add(SampleEnvelopes.commit(repository, batch * 20 + i));
            }
            // like the engine: the next batch of a repository goes out after the previous one was acknowledged
            sink.publish(envelopes).get(acknowledgementTimeoutSeconds(), TimeUnit.SECONDS);
            envelopes.forEach(e -> ids.add(e.eventId()));
          }
          return ids;
        }));
      }
      for (int r = 0; r < repositories.size(); r++) {
        List<String> expected = published.get(r).get();
        assertEquals(expected, deliveredEventIds(repositories.get(r)), "order of " + repositories.get(r));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeAfterPublishingLosesNothing() throws Exception {
    String repository = "github:github.com/kit/close";
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    Sink sink = createSink();
    for (int i = 0; i < 5; i++) {
      acks.add(sink.publish(List.of(SampleEnvelopes.commit(repository, i))));
    }
    for (CompletableFuture<Void> ack : acks) {
      ack.get(acknowledgementTimeoutSeconds(), TimeUnit.SECONDS);
    }
    sink.close();
    assertEquals(5, deliveredEventIds(repository).size());
    assertTrue(sink.describe() != null && !sink.describe().isBlank(), "a sink describes itself");
  }
}
