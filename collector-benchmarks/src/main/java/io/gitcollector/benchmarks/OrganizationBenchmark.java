package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatorStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Organization scale, side by side in one run:
 *
 * <ol>
 *   <li>an idle incremental sweep of an organization's repositories (its listing, every page asked with its ETag,
 *       then an incremental sync of each) beside the same sweep as a peer collector makes it: one list request per
 *       stream per repository, no ETags;
 *   <li>a full sync of an organization of small repositories under a small rate limit, with one token and with four
 *       ({@code GITHUB_TOKENS}).
 * </ol>
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.OrganizationBenchmark -Dexec.args="10000 25 1000 64"} (repositories of
 * the sweep, latency in ms, repositories of the pooled sync, repositories swept at once).
 */
public final class OrganizationBenchmark {
  private static final String TOKEN = "ghp_organizationBenchmarkToken0";
  /** The peer's streams: one list request each, as a collector without ETags or cursors per stream asks. */
  private static final List<String> PEER_STREAMS = List.of("", "/commits?per_page=100", "/pulls?state=all&per_page=100",
      "/issues?state=all&per_page=100", "/contributors?per_page=100", "/releases?per_page=100",
      "/deployments?per_page=100", "/actions/runs?per_page=100");

  private OrganizationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sweepSize = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int latency = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    int pooledSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    int parallel = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    String sweep = idleSweep(sweepSize, latency, parallel);
    String pooled = pooledSync(pooledSize, parallel);
    System.out.printf(Locale.ROOT, "%n### Idle sweep of an organization of %,d GitHub repositories, %d ms latency, %d"
        + " repositories at once, 2 cores%n%n", sweepSize, latency, parallel);
    System.out.println("| sweep | wall time | requests | answered 304 | primary points | GraphQL points |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.print(sweep);
    System.out.printf(Locale.ROOT, "%n### Full sync of an organization of %,d small GitHub repositories, 600 REST and"
        + " 600 GraphQL points per token every 5 s, 5 ms latency%n%n", pooledSize);
    System.out.println("| tokens | wall time | requests | primary points | points per token | limit violations |"
        + " planned before (nothing measured yet) |");
    System.out.println("|---|---|---|---|---|---|---|");
    System.out.print(pooled);
  }

  private static String idleSweep(int size, int latency, int parallel) throws Exception {
    StringBuilder rows = new StringBuilder();
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).threads(128).start()) {
      simulator.addOrganization("fleet");
      for (int i = 0; i < size; i++) {
        simulator.addRepository(String.format(Locale.ROOT, "fleet/repo-%05d", i), RepositorySpec.of(3, 1, 0)
            .withIssues(1, 0));
      }
      Path data = Files.createTempDirectory("bench-organization");
      try (GitCollector collector = collector(simulator, data, List.of(TOKEN), parallel)) {
        GitCollector.OrganizationTarget fleet = collector.organization("https://github.com/fleet");
        // the first pass, at no latency: it only sets the scene
        sweepOnce(collector, fleet, parallel);
        simulator.setLatency(Duration.ofMillis(latency));
        simulator.resetStats();
        double seconds = sweepOnce(collector, fleet, parallel);
        rows.append(row("git-collector: listing (ETags) + incremental sync of each", seconds, simulator.stats()));
      }
      simulator.resetStats();
      double peer = peerSweep(simulator, size, parallel);
      rows.append(row("peer: a list request per stream per repository, no ETags", peer, simulator.stats()));
    }
    return rows.toString();
  }

  /** The organization listed, settled, and each selected repository synced, {@code parallel} at a time. */
  private static double sweepOnce(GitCollector collector, GitCollector.OrganizationTarget fleet, int parallel)
      throws Exception {
    long started = System.nanoTime();
    Discovery discovery = collector.discover(fleet, RepositoryFilter.all());
    collector.settle(fleet, discovery);
    syncSelected(collector, fleet, discovery, SyncMode.INCREMENTAL, parallel);
    return (System.nanoTime() - started) / 1e9;
  }

  /** Each repository the discovery selected synced in {@code mode}, {@code parallel} at a time. */
  private static void syncSelected(GitCollector collector, GitCollector.OrganizationTarget organization,
      Discovery discovery, SyncMode mode, int parallel) throws Exception {
    List<Callable<Object>> syncs = new ArrayList<>();
    for (DiscoveredRepository repository : discovery.selected()) {
      syncs.add(() -> collector.sync(collector.target(organization.platformId(), repository.repository()), mode));
    }
    runAll(syncs, parallel);
  }

  private static double peerSweep(GitHubSimulator simulator, int size, int parallel) throws Exception {
    ExecutorService clientThreads = Executors.newFixedThreadPool(parallel);
    HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
    long started = System.nanoTime();
    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String base = simulator.apiBaseUrl() + String.format(Locale.ROOT, "/repos/fleet/repo-%05d", i);
      calls.add(() -> {
        for (String stream : PEER_STREAMS) {
          http.send(HttpRequest.newBuilder(URI.create(base + stream)).header("Authorization", "Bearer " + TOKEN)
              .build(), HttpResponse.BodyHandlers.discarding());
        }
        return null;
      });
    }
    try {
      runAll(calls, parallel);
      return (System.nanoTime() - started) / 1e9;
    } finally {
      clientThreads.shutdown();
    }
  }

  private static String pooledSync(int size, int parallel) throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int tokens : new int[] {1, 4}) {
      List<String> pool = IntStream.range(0, tokens).mapToObj(i -> TOKEN + "-" + i).toList();
      try (GitHubSimulator simulator = GitHubSimulator.builder().token(pool.get(0)).latency(Duration.ofMillis(5))
          .coreRateLimit(600, Duration.ofSeconds(5)).graphqlRateLimit(600, Duration.ofSeconds(5)).threads(64)
          .start()) {
        pool.stream().skip(1).forEach(simulator::addToken);
        simulator.addOrganization("small");
        for (int i = 0; i < size; i++) {
          simulator.addRepository(String.format(Locale.ROOT, "small/repo-%04d", i), RepositorySpec.of(3, 1, 0));
        }
        Path data = Files.createTempDirectory("bench-pool");
        try (GitCollector collector = collector(simulator, data, pool, 8)) {
          long started = System.nanoTime();
          GitCollector.OrganizationTarget small = collector.organization("https://github.com/small");
          Discovery discovery = collector.discover(small, RepositoryFilter.all());
          CollectionPlan plan = collector.plan(small, discovery, SyncMode.FULL);
          collector.settle(small, discovery);
          syncSelected(collector, small, discovery, SyncMode.FULL, parallel);
          double seconds = (System.nanoTime() - started) / 1e9;
          SimulatorStats stats = simulator.stats();
          String perToken = String.join(" / ", pool.stream().map(t -> String.format(Locale.ROOT, "%,d",
              simulator.primaryPointsSpentBy(t))).toList());
          rows.append(String.format(Locale.ROOT, "| %d | %.1f s | %,d | %,d | %s | %d | %,d requests, %.1f s%s |%n",
              tokens, seconds, stats.requests(), stats.primaryPointsSpent(), perToken, stats.rateLimitViolations(),
              plan.requests(), plan.wallTime().toMillis() / 1e3, plan.rateLimited() ? " (rate-limited)" : ""));
        }
      }
    }
    return rows.toString();
  }

  /** {@code concurrency}: streams collected at once, across every repository being synced. */
  private static GitCollector collector(GitHubSimulator simulator, Path data, List<String> tokens,
      int concurrency) {
    PlatformConfig.Builder config = PlatformConfig.builder().token(Secret.of(tokens.get(0)))
        .apiBaseUrl(simulator.apiBaseUrl());
    if (tokens.size() > 1) {
      config.setting("tokens", String.join(",", tokens.subList(1, tokens.size())));
    }
    return GitCollector.builder().platform("github", config.build()).dataDirectory(data)
        .concurrency(Math.min(concurrency, 64))
        .maxRateLimitWait(Duration.ofMinutes(2)).build();
  }

  private static void runAll(List<Callable<Object>> work, int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Object>> running = new ArrayList<>();
      for (Callable<Object> task : work) {
        running.add(pool.submit(task));
      }
      for (Future<Object> task : running) {
        task.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static String row(String name, double seconds, SimulatorStats stats) {
    return String.format(Locale.ROOT, "| %s | %.1f s | %,d | %,d | %,d | %,d |%n", name, seconds, stats.requests(),
        stats.notModified(), stats.primaryPointsSpent(), stats.graphqlPointsSpent());
  }
}
