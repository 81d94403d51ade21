package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenarios 2 and 3: an incremental sweep of many subscribed repositories when nothing changed (every probe answers
 * 304, which GitHub does not charge), then after 1 % of them changed.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.IncrementalSweepBenchmark -Dexec.args="1000 25"} (repositories,
 * latency in ms).
 */
public final class IncrementalSweepBenchmark {
  private static final String TOKEN = "ghp_sweepToken";

  private IncrementalSweepBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repositories = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int latency = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(latency))
        .threads(64).start()) {
      List<SimulatedRepository> all = new ArrayList<>();
      for (int i = 0; i < repositories; i++) {
        all.add(simulator.addRepository("fleet/repo-" + i, RepositorySpec.of(30, 3, 1)));
      }
      Path data = Files.createTempDirectory("bench-sweep");
      try (GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
              .build())
          .dataDirectory(data).concurrency(16).build()) {
        sweep(collector, repositories, SyncMode.FULL);
        simulator.resetStats();
        double idle = sweep(collector, repositories, SyncMode.INCREMENTAL);
        SimulatorStats idleStats = simulator.stats();
        for (int i = 0; i < repositories / 100; i++) {
          all.get(i * 100).addCommits(5);
          all.get(i * 100).updatePullRequests(1);
        }
        simulator.resetStats();
        double changed = sweep(collector, repositories, SyncMode.INCREMENTAL);
        SimulatorStats changedStats = simulator.stats();
        System.out.printf(Locale.ROOT, "%n### Incremental sweep of %,d GitHub repositories, %d ms latency%n%n",
            repositories, latency);
        System.out.println("| sweep | wall time | requests | answered 304 | primary points | GraphQL points |");
        System.out.println("|---|---|---|---|---|---|");
        row("nothing changed", idle, idleStats);
        row("1 % changed", changed, changedStats);
      }
    }
  }

  private static void row(String name, double seconds, SimulatorStats stats) {
    System.out.printf(Locale.ROOT, "| %s | %.1f s | %,d | %,d | %,d | %,d |%n", name, seconds, stats.requests(),
        stats.notModified(), stats.primaryPointsSpent(), stats.graphqlPointsSpent());
  }

  /** Syncs every repository, eight at a time, as the server's workers would. */
  private static double sweep(GitCollector collector, int repositories, SyncMode mode) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long started = System.nanoTime();
    List<Future<?>> syncs = new ArrayList<>();
    for (int i = 0; i < repositories; i++) {
      String url = "https://github.com/fleet/repo-" + i;
      syncs.add(pool.submit(() -> collector.sync(url, mode)));
    }
    for (Future<?> sync : syncs) {
      sync.get();
    }
    pool.shutdown();
    return (System.nanoTime() - started) / 1e9;
  }
}
