package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History pages are addressable ({@code "<head> <offset>"} cursors), so the adapter fetches the next ones in parallel
 * while the engine delivers the current one: the same requests, delivered in the same order, with several in flight.
 */
class GitHubHistoryPrefetchIT {
  private static final String TOKEN = "ghp_prefetchToken";

  private static SimulatorStats collect(GitHubSimulator simulator, Path data, int prefetch) {
    simulator.resetStats();
    try (GitCollector collector = GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .setting("history_prefetch", Integer.toString(prefetch)).build())
        .dataDirectory(data).concurrency(1).build()) {
      collector.sync("https://github.com/acme/history", SyncMode.FULL);
    }
    return simulator.stats();
  }

  @Test
  void prefetchedPagesAreTheSamePagesInTheSameOrder(@TempDir Path work) {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(10)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/history", RepositorySpec.of(2_350, 0, 0));
      SimulatorStats sequential = collect(simulator, work.resolve("sequential"), 0);
      SimulatorStats prefetched = collect(simulator, work.resolve("prefetched"), 4);
      assertEquals(1, sequential.peakConcurrentRequests(), "one stream at a time, one page at a time");
      assertTrue(prefetched.peakConcurrentRequests() > 1, "pages fetched in parallel: " + prefetched);
      assertEquals(24, prefetched.route("POST /graphql CommitHistory"), "no page fetched twice or past the end");
      List<String> newestFirst = new ArrayList<>(repository.commitShas(0, 2_350));
      Collections.reverse(newestFirst);
      for (String run : List.of("sequential", "prefetched")) {
        List<String> delivered = EnvelopeFiles.read(work.resolve(run), "git.commits").stream()
            .map((JsonNode e) -> e.path("data").path("sha").asText()).toList();
        assertEquals(newestFirst, delivered, run + ": every commit once, in history order");
      }
    }
  }
}
