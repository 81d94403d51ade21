package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a running {@code collect}: it says it stops after the page in flight, stops there with the documented
 * exit code 17 (not the signal's 143), and the next run completes the repository with nothing lost.
 */
class CollectSignalIT {
  private static final String TOKEN = "signal-token";

  @Test
  void sigtermStopsAfterThePageInFlightWithExitCode17AndTheNextRunGoesOn(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(30)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/signalled", RepositorySpec.of(6_000, 300, 1));
      Path data = work.resolve("data");
      Map<String, String> environment = Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN);
      String[] command = {"collect", "https://github.com/acme/signalled", "--data-dir", data.toString()};
      ChildJvm child = ChildJvm.start(work.resolve("run"), environment, List.of(), command);
      org.awaitility.Awaitility.await("1,000 commits delivered, or the collection's end").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> !child.isAlive() || EnvelopeFiles.countLines(data, "git.commits") >= 1_000);
      assertTrue(child.isAlive(), () -> "the collection ended before the signal: " + child.stderr());
      child.terminate();
      int exit = child.await();
      String stderr = child.stderr();
      assertEquals(17, exit, stderr);
      assertTrue(stderr.contains("stopping: the collection ends after the page in flight"), stderr);
      assertTrue(stderr.lines().anyMatch(line -> line.startsWith("error: ") && line.contains("stopped for shutdown")),
          "one line says where it stopped: " + stderr);
      long stoppedAt = EnvelopeFiles.countLines(data, "git.commits");
      assertTrue(stoppedAt < repository.commitCount(), "it stopped before the end: " + stoppedAt);

      ChildJvm again = ChildJvm.start(work.resolve("run"), environment, List.of(), command);
      assertEquals(0, again.await(), again::stderr);
      Set<String> shas = new HashSet<>();
      EnvelopeFiles.read(data, "git.commits").forEach(envelope -> shas.add(envelope.path("data").path("sha")
          .asText()));
      assertEquals(new HashSet<>(repository.commitShas()), shas, "the next run completes it, nothing lost");
    }
  }
}
