package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatorStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestReview;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Scenario 1 of the performance suite: a full collection of one GitHub repository (commits with statistics, pull
 * requests with their reviews) by Git Collector, beside hub4j {@code github-api} collecting the same data from the
 * same simulator in the same run, without statistics and with statistics for the first 1,000 commits.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.GitHubCollectionBenchmark -Dexec.args="25 20000 2000"} (latency in ms,
 * commits, pull requests; a fourth argument {@code --without-peers} leaves hub4j out).
 */
public final class GitHubCollectionBenchmark {
  private static final String TOKEN = "ghp_benchmarkToken";
  private static final String REPOSITORY = "acme/bench";
  private static final String WARM_UP = "acme/warm-up";

  private GitHubCollectionBenchmark() {}

  record Row(String client, long commits, long pulls, long reviews, double seconds, SimulatorStats stats,
      long peakHeapBytes) {}

  public static void main(String[] args) throws Exception {
    int latency = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int pulls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    boolean peers = args.length <= 3 || !args[3].equals("--without-peers");
    List<Row> rows = new ArrayList<>();
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(latency))
        .start()) {
      // both clients and the simulator first collect a small repository, so neither measured run pays for class
      // loading and the JIT alone (the first run in a fresh JVM would)
      simulator.addRepository(WARM_UP, RepositorySpec.of(2_000, 200, 2));
      gitCollector(simulator, WARM_UP);
      if (peers) {
        hub4j(simulator, WARM_UP, 100);
      }
      simulator.addRepository(REPOSITORY, RepositorySpec.of(commits, pulls, 2));
      rows.add(gitCollector(simulator, REPOSITORY));
      if (peers) {
        rows.add(hub4j(simulator, REPOSITORY, 0));
        rows.add(hub4j(simulator, REPOSITORY, 1_000));
      }
    }
    System.out.printf(Locale.ROOT, "%n### Full collection of one GitHub repository: %,d commits, %,d pull requests with 2"
        + " reviews each, %d ms simulated latency per request, %d cores%n%n", commits, pulls, latency,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| client | commits (with statistics) | pull requests | reviews | wall time | requests"
        + " | primary points | GraphQL points | peak heap | vs hub4j |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    double baseline = rows.get(peers ? 1 : 0).seconds();
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f s | %,d | %,d | %,d | %.0f MB | %.1f× |%n",
          row.client(), row.commits(), row.pulls(), row.reviews(), row.seconds(), row.stats().requests(),
          row.stats().primaryPointsSpent(), row.stats().graphqlPointsSpent(), row.peakHeapBytes() / 1e6,
          baseline / row.seconds());
    }
  }

  private static Row gitCollector(GitHubSimulator simulator, String repository) throws Exception {
    Path data = Files.createTempDirectory("bench-collector");
    resetPeaks();
    simulator.resetStats();
    long started = System.nanoTime();
    SyncResult result;
    try (GitCollector collector = GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .build())
        .dataDirectory(data).build()) {
      result = collector.sync("https://github.com/" + repository, SyncMode.FULL);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Row("Git Collector (statistics for every commit)", result.delivered(StreamKind.COMMITS),
        result.delivered(StreamKind.PULL_REQUESTS), 2L * result.delivered(StreamKind.PULL_REQUESTS), seconds,
        simulator.stats(), peakHeap());
  }

  private static Row hub4j(GitHubSimulator simulator, String name, int statisticsFor) throws Exception {
    resetPeaks();
    simulator.resetStats();
    long started = System.nanoTime();
    GitHub github = new GitHubBuilder().withEndpoint(simulator.apiBaseUrl()).withOAuthToken(TOKEN).build();
    GHRepository repository = github.getRepository(name);
    long commits = 0;
    long withStatistics = 0;
    for (GHCommit commit : repository.queryCommits().pageSize(100).list()) {
      commits++;
      if (withStatistics < statisticsFor) {
        // hub4j reads statistics with one more request per commit
        commit.getLinesAdded();
        withStatistics++;
      }
    }
    long pulls = 0;
    long reviews = 0;
    for (GHPullRequest pull : repository.queryPullRequests().state(GHIssueState.ALL).list().withPageSize(100)) {
      pulls++;
      for (GHPullRequestReview ignored : pull.listReviews().withPageSize(100)) {
        reviews++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String client = statisticsFor == 0 ? "hub4j github-api 1.330 (no statistics)"
        : "hub4j github-api 1.330 (statistics for the first " + statisticsFor + ")";
    return new Row(client, commits, pulls, reviews, seconds, simulator.stats(), peakHeap());
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
