package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.testkit.bitbucket.BitbucketSimulator;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a separate {@code collect} JVM at 20 points spread over a full sync of each platform, each time
 * restarted with the same command (incremental, from the saved cursors): when the last run ends, the union of what
 * reached the sink is the platform's data, and one kill never costs more than one re-delivered page per stream.
 */
class KillNineIT {
  private static final int KILLS = 20;
  private static final int PAGE = 100;
  private static final String TOKEN = "kill-nine-token";

  private record Outcome(int kills, int lost, long maxDuplicatesAfterOneKill, long duplicates, int entities) {}

  private static Set<String> entities(Path data) {
    Set<String> seen = new HashSet<>();
    for (JsonNode envelope : EnvelopeFiles.read(data, "git.commits")) {
      seen.add("commit:" + envelope.path("data").path("sha").asText());
    }
    for (JsonNode envelope : EnvelopeFiles.read(data, "git.pull_requests")) {
      seen.add("pull:" + envelope.path("data").path("number").asLong());
    }
    return seen;
  }

  private static long lines(Path data) {
    return EnvelopeFiles.countLines(data, "git.commits") + EnvelopeFiles.countLines(data, "git.pull_requests");
  }

  private static Outcome killAndRestart(Path work, Map<String, String> env, String url, SimulatedRepository truth)
      throws Exception {
    Path data = work.resolve("data");
    String[] command = {"collect", url, "--data-dir", data.toString()};
    Set<String> expected = new HashSet<>();
    truth.commitShas().forEach(sha -> expected.add("commit:" + sha));
    truth.pullRequestVersions().keySet().forEach(number -> expected.add("pull:" + number));
    int kills = 0;
    long maxDuplicates = 0;
    long previousDuplicates = 0;
    for (int point = 1; point <= KILLS; point++) {
      long killAt = (long) expected.size() * point / (KILLS + 1);
      ChildJvm child = ChildJvm.start(work, env, List.of(), command);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (child.isAlive() && lines(data) < killAt && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(child.isAlive(), () -> "the collector ended before kill point " + killAt + ": " + child.stderr());
      child.kill();
      kills++;
      long duplicates = lines(data) - entities(data).size();
      maxDuplicates = Math.max(maxDuplicates, duplicates - previousDuplicates);
      previousDuplicates = duplicates;
    }
    ChildJvm last = ChildJvm.start(work, env, List.of(), command);
    assertEquals(0, last.await(), last::stderr);
    Set<String> collected = entities(data);
    long duplicates = lines(data) - collected.size();
    maxDuplicates = Math.max(maxDuplicates, duplicates - previousDuplicates);
    Set<String> lost = new HashSet<>(expected);
    lost.removeAll(collected);
    return new Outcome(kills, lost.size(), maxDuplicates, duplicates, expected.size());
  }

  private static void record(String platform, Outcome outcome) {
    boolean bounded = outcome.maxDuplicatesAfterOneKill() <= 2L * PAGE;
    ReliabilityLog.record(new ReliabilityLog.Row("1-kill-" + platform.toLowerCase(java.util.Locale.ROOT),
        "kill -9 of the `collect` JVM at " + KILLS + " points spread over a full " + platform
            + " sync, each time run again",
        outcome.kills(), outcome.lost() == 0 && bounded ? outcome.kills() : 0,
        outcome.entities() + " entities, " + outcome.lost() + " lost; at most " + outcome.maxDuplicatesAfterOneKill()
            + " duplicates after one kill (" + outcome.duplicates() + " in all)"));
    assertEquals(0, outcome.lost(), "entities lost");
    assertTrue(bounded, "one page per stream at most after one kill: " + outcome.maxDuplicatesAfterOneKill());
  }

  @Test
  void gitHub(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(25)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/killed", RepositorySpec.of(6_000, 600, 1));
      record("GitHub", killAndRestart(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN),
          "https://github.com/acme/killed", repository));
    }
  }

  @Test
  void gitLab(@TempDir Path work) throws Exception {
    try (GitLabSimulator simulator = GitLabSimulator.start(TOKEN, Duration.ofMillis(10))) {
      SimulatedRepository project = simulator.addProject("acme/killed", RepositorySpec.of(4_000, 300, 1));
      record("GitLab", killAndRestart(work, Map.of("GITLAB_URL", simulator.url(), "GITLAB_TOKEN", TOKEN),
          simulator.url() + "/acme/killed", project));
    }
  }

  @Test
  void bitbucket(@TempDir Path work) throws Exception {
    try (BitbucketSimulator simulator = BitbucketSimulator.start(TOKEN, Duration.ofMillis(5))) {
      SimulatedRepository repository = simulator.addRepository("acme/killed", RepositorySpec.of(1_500, 200, 1));
      record("Bitbucket", killAndRestart(work, Map.of("BITBUCKET_API_URL", simulator.apiBaseUrl(), "BITBUCKET_TOKEN",
          TOKEN), "https://bitbucket.org/acme/killed", repository));
    }
  }
}
