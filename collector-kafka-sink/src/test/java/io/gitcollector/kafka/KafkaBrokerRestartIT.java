package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncListener;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker dies in the middle of a sync: the sync fails with a clear error after the delivery timeout and moves no
 * cursor past what the broker did not acknowledge; with the broker back, a re-run completes and nothing is lost.
 */
class KafkaBrokerRestartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghp_brokerRestartToken";

  /** Health answers are cached for a few seconds: wait for the new state, with a deadline. */
  private static void awaitHealth(io.gitcollector.core.spi.Sink sink, Health.Status expected) {
    org.awaitility.Awaitility.await("sink health " + expected).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).until(() -> sink.health().status() == expected);
  }

  @Test
  void aDeadBrokerFailsTheSyncAndARerunLosesNothing(@TempDir Path work) throws Exception {
    try (ChildKafkaBroker broker = ChildKafkaBroker.format(work.resolve("broker"));
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(5)).start()) {
      broker.start();
      SimulatedRepository repository = simulator.addRepository("acme/resilient", RepositorySpec.of(15_000, 300, 1));
      KafkaSinkConfig sinkConfig = KafkaSinkConfig.builder(broker.bootstrapServers()).createTopics(3, (short) 1)
          .deliveryTimeout(Duration.ofSeconds(8)).build();
      PlatformConfig github = PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
          .build();
      String url = "https://github.com/acme/resilient";

      CountDownLatch tenPages = new CountDownLatch(10);
      SyncListener listener = new SyncListener() {
        @Override
        public void pageDelivered(String repositoryId, StreamKind stream, int items, long total) {
          if (stream.equals(StreamKind.COMMITS)) {
            tenPages.countDown();
          }
        }
      };
      try (GitCollector collector = GitCollector.builder().platform("github", github)
          .sink(KafkaSinkProvider.create(sinkConfig)).dataDirectory(work.resolve("state")).listener(listener)
          .build()) {
        assertEquals(Health.Status.UP, collector.sink().health().status(), collector.sink().health().detail());
        CompletableFuture<?> sync = CompletableFuture.runAsync(() -> collector.sync(url, SyncMode.FULL));
        assertTrue(tenPages.await(60, TimeUnit.SECONDS), "the sync got going");
        broker.kill();
        awaitHealth(collector.sink(), Health.Status.DOWN);
        assertTrue(collector.sink().health().detail().contains(broker.bootstrapServers()),
            collector.sink().health().detail());
        ExecutionException failure = assertThrows(ExecutionException.class, () -> sync.get(2, TimeUnit.MINUTES));
        assertTrue(failure.getCause() instanceof SinkException, failure.getCause().toString());
        assertTrue(failure.getCause().getMessage().contains("delivery timeout"), failure.getCause().getMessage());
      }

      broker.start();
      try (GitCollector collector = GitCollector.builder().platform("github", github)
          .sink(KafkaSinkProvider.create(sinkConfig)).dataDirectory(work.resolve("state")).build()) {
        awaitHealth(collector.sink(), Health.Status.UP);
        collector.sync(url, SyncMode.FULL);
      }

      List<ConsumerRecord<String, byte[]>> commits = TopicReader.readAll(broker.bootstrapServers(), "git.commits");
      Set<String> shas = new HashSet<>();
      for (ConsumerRecord<String, byte[]> record : commits) {
        shas.add(JSON.readTree(record.value()).path("data").path("sha").asText());
      }
      assertEquals(repository.commitShas(), shas, "every commit reached the broker");
      int duplicates = commits.size() - shas.size();
      System.out.printf("broker restart: %d commit records for %d commits (%d duplicates)%n", commits.size(),
          shas.size(), duplicates);
      Set<Long> pulled = new HashSet<>();
      for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(broker.bootstrapServers(),
          "git.pull_requests")) {
        pulled.add(JSON.readTree(record.value()).path("data").path("number").asLong());
      }
      boolean complete = repository.commitShas().equals(shas)
          && repository.pullRequestVersions().keySet().equals(pulled);
      ReliabilityLog.record(new ReliabilityLog.Row("2-kafka-broker-killed", "the only Kafka broker killed in the"
          + " middle of a sync, down longer than the delivery timeout (8 s), restarted on the same port and log"
          + " directory", 1, complete && duplicates <= 200 ? 1 : 0, "the sync failed with the sink's error (exit 11"
          + " on the command line) and health said down; the rerun completed: " + shas.size() + " commits, 0 lost, "
          + duplicates + " duplicates"));
      assertTrue(duplicates <= 2 * 100, "duplicates bounded by the pages in flight: " + duplicates);
      Set<Long> pulls = new HashSet<>();
      for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(broker.bootstrapServers(),
          "git.pull_requests")) {
        pulls.add(JSON.readTree(record.value()).path("data").path("number").asLong());
      }
      assertEquals(repository.pullRequestVersions().keySet(), pulls);
    }
  }
}
