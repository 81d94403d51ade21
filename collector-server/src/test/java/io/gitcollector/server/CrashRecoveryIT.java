package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code kill -9} of the collector at several points of a full sync, then the same command again: the union of what
 * reached the sink is the platform's data, and each kill costs at most one re-delivered page per stream.
 */
class CrashRecoveryIT {
  private static final String TOKEN = "ghp_crashRecoveryToken";
  private static final int PAGE = 100;

  @Test
  void killedAtSeveralPointsAndRestartedNothingIsLost(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(3)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/crashy", RepositorySpec.of(12_000, 900, 2));
      Map<String, String> env = Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN);
      Path data = work.resolve("data");
      String[] command = {"collect", "https://github.com/acme/crashy", "--full", "--data-dir", data.toString()};
      int kills = 0;
      for (long killAfter : new long[] {1_500, 5_000, 9_000}) {
        ChildJvm child = ChildJvm.start(work, env, List.of(), command);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (child.isAlive() && EnvelopeFiles.countLines(data, "git.commits") < killAfter
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertTrue(child.isAlive(), () -> "the collector finished before it could be killed: " + child.stderr());
        child.kill();
        kills++;
      }
      ChildJvm last = ChildJvm.start(work, env, List.of(), command);
      assertEquals(0, last.await(), last::stderr);

      List<JsonNode> commits = EnvelopeFiles.read(data, "git.commits");
      Set<String> shas = new HashSet<>();
      commits.forEach(e -> shas.add(e.path("data").path("sha").asText()));
      assertEquals(repository.commitShas(), shas, "every commit reached the sink");
      int duplicates = commits.size() - shas.size();
      System.out.printf("crash recovery: %d kills, %d commit envelopes for %d commits (%d duplicates)%n", kills,
          commits.size(), shas.size(), duplicates);
      assertTrue(duplicates <= kills * PAGE, "duplicates: " + duplicates + " after " + kills + " kills");

      List<JsonNode> pulls = EnvelopeFiles.read(data, "git.pull_requests");
      Set<Long> numbers = new HashSet<>();
      pulls.forEach(e -> numbers.add(e.path("data").path("number").asLong()));
      assertEquals(repository.pullRequestVersions().keySet(), numbers, "every pull request reached the sink");
      assertTrue(pulls.size() - numbers.size() <= kills * PAGE, "pull request duplicates: "
          + (pulls.size() - numbers.size()));
    }
  }
}
