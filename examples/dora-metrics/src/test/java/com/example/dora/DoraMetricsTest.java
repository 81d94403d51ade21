package com.example.dora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of repositories collected from the simulator, against values worked out by hand from how the simulator
 * builds its data (times in seconds after 2020-01-01T00:00:00Z, a Wednesday of ISO week 2020-W01):
 *
 * <ul>
 *   <li>commit i at 60·i, its parent commit i−1;
 *   <li>pull request n opened at 3,600·n, merged when n is divisible by neither 3 nor 10, its merge commit n;
 *   <li>deployment i created at 7,200 + 3,600·i of commit 3·i, to staging when i is divisible by 4, else to
 *       production; it ends 300 s after its creation, failed when i leaves 5 divided by 8; the newest is still in
 *       progress;
 *   <li>CI run i created at 3,600 + 60·i on commit i, named Deploy when i is divisible by 3; the newest is queued,
 *       the one before it running, the others ended 120 s after their creation, failed when i leaves 3 divided by
 *       10.
 * </ul>
 */
class DoraMetricsTest {
  private static final String TOKEN = "ghp_doraExampleToken";

  private static void collect(GitHubSimulator simulator, String repository, Path data) {
    try (GitCollector collector = GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .build())
        .dataDirectory(data).build()) {
      collector.sync("https://github.com/" + repository, SyncMode.FULL);
      // an incremental sync after it adds nothing the metrics would count twice
      collector.sync("https://github.com/" + repository, SyncMode.INCREMENTAL);
    }
  }

  @Test
  void theFourMetricsOfAWeekOfDeployments(@TempDir Path data) throws IOException {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/shop", RepositorySpec.of(40, 3, 0).withDeployments(10));
      collect(simulator, "acme/shop", data);
    }
    Map<String, List<DoraMetrics.Week>> metrics = new DoraMetrics("production", Pattern.compile("(?i)deploy"))
        .compute(DoraMetrics.readAll(data));
    // production deployments 1, 2, 3, 5, 6, 7 and 9; 9 is still in progress, 5 failed
    DoraMetrics.Week week = metrics.get("github:github.com/acme/shop").get(0);
    assertEquals(1, metrics.get("github:github.com/acme/shop").size());
    assertEquals("2020-W01", week.week());
    assertEquals(5, week.deployments(), "1, 2, 3, 6 and 7 succeeded");
    assertEquals(6, week.finishedDeployments());
    assertEquals(1 / 6.0, week.changeFailureRate(), 1e-9, "5 of 6 failed");
    // 1 ships commits 0-3 at 11,100 s, 2 ships 4-6 at 14,700, 3 ships 7-9 at 18,300, 6 ships 10-18 at 29,100 (the
    // failed 5 shipped nothing), 7 ships 19-21 at 32,700: 22 lead times, the 11th and 12th smallest 28,020 s
    // (29,100 − 60·18) and 28,080 s (29,100 − 60·17), their mean 28,050 s
    assertEquals(Optional.of(Duration.ofSeconds(28_050)), week.commitLeadTime());
    // pull requests 1 and 2 are merged (3 is closed), their merge commits 1 and 2 shipped by deployment 1 at 11,100 s:
    // 11,100 − 3,600 and 11,100 − 7,200, median (7,500 + 3,900) / 2
    assertEquals(Optional.of(Duration.ofSeconds(5_700)), week.pullRequestLeadTime());
    // 5 failed at 25,500 s (7,200 + 3,600·5 + 300), 6 succeeded at 29,100 s
    assertEquals(Optional.of(Duration.ofSeconds(3_600)), week.timeToRestore());
  }

  @Test
  void aRepositoryWithoutDeploymentsIsMeasuredFromItsDeployingRuns(@TempDir Path data) throws IOException {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/tool", RepositorySpec.of(10, 0, 0).withCiRuns(7));
      collect(simulator, "acme/tool", data);
    }
    DoraMetrics.Week week = new DoraMetrics("production", Pattern.compile("(?i)deploy"))
        .compute(DoraMetrics.readAll(data)).get("github:github.com/acme/tool").get(0);
    // Deploy runs 0, 3 and 6: 0 succeeded at 3,720 s, 3 failed at 3,900 s, 6 is queued
    assertEquals(1, week.deployments());
    assertEquals(0.5, week.changeFailureRate(), 1e-9);
    // run 0 ships commit 0 (at 0 s) at 3,720 s
    assertEquals(Optional.of(Duration.ofSeconds(3_720)), week.commitLeadTime());
    assertEquals(Optional.empty(), week.timeToRestore(), "nothing succeeded after the failure");
  }
}
