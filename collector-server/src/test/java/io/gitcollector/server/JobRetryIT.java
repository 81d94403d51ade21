package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.server.service.CollectionService;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collection that fails for a passing reason (the platform kept answering 500) is run again later and succeeds. */
class JobRetryIT {
  private static final String TOKEN = "ghp_jobRetryToken";

  @Test
  void aTransientFailureIsRetriedWithBackoff(@TempDir Path data) {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      io.gitcollector.testkit.github.SimulatedRepository repository = simulator.addRepository("acme/flaky-server",
          RepositorySpec.of(200, 3, 1));
      // two attempts per request: eight 500s on the REST routes fail the first collection (which of its streams
      // they hit, and so which streams the first collection completes, depends on the streams' order)
      simulator.injectFault(Fault.SERVER_ERROR, "GET /repos/{o}/{r}", 8);
      GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
              .build())
          .dataDirectory(data).retry(2, Duration.ofMillis(10)).build();
      try (collector; CollectionService service = new CollectionService(collector, Map.of(), Duration.ofHours(1),
          Duration.ofDays(7), Duration.ofSeconds(30), 1, Duration.ofSeconds(5))) {
        String id = service.trigger("https://github.com/acme/flaky-server", false, java.util.Optional.empty()).repositoryId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean sawFailure = false;
        while (service.status(id).sync().state() != SyncStatus.State.COMPLETED) {
          sawFailure |= service.status(id).sync().state() == SyncStatus.State.FAILED;
          assertTrue(System.nanoTime() < deadline, "never retried: " + service.status(id));
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertTrue(sawFailure, "the first collection failed");
        // every commit delivered, whether by the failed collection's streams that completed or by the retry
        java.util.Set<String> shas = new java.util.HashSet<>();
        io.gitcollector.testkit.envelopes.EnvelopeFiles.read(data, "git.commits")
            .forEach(envelope -> shas.add(envelope.path("data").path("sha").asText()));
        assertEquals(repository.commitShas(), shas);
      }
    }
  }
}
