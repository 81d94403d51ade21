package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * Issues with their comments from one GitHub repository that also has pull requests: Git Collector (GraphQL, comments
 * nested, pull requests never listed) beside hub4j's {@code listIssues} (REST, which lists pull requests too, skipped
 * by the caller) and {@code listComments} per issue, on the same simulator in the same run. The target is at most one
 * request per 50 issues with their comments.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.IssuesBenchmark -Dexec.args="25 5000 3 200"} (latency in ms, issues,
 * comments per issue, pull requests; a fifth argument {@code --without-peers} leaves hub4j out).
 */
public final class IssuesBenchmark {
  private static final String TOKEN = "ghp_benchmarkToken";

  private IssuesBenchmark() {}

  record Row(String client, long issues, long comments, double seconds, SimulatorStats stats) {}

  public static void main(String[] args) throws Exception {
    int latency = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    int issues = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int comments = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int pulls = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    boolean peers = args.length <= 4 || !args[4].equals("--without-peers");
    List<Row> rows = new ArrayList<>();
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(latency))
        .start()) {
      simulator.addRepository("acme/warm-up", RepositorySpec.of(1, 20, 0).withIssues(300, 1));
      gitCollector(simulator, "acme/warm-up");
      if (peers) {
        hub4j(simulator, "acme/warm-up");
      }
      simulator.addRepository("acme/tracker", RepositorySpec.of(1, pulls, 0).withIssues(issues, comments));
      rows.add(gitCollector(simulator, "acme/tracker"));
      if (peers) {
        rows.add(hub4j(simulator, "acme/tracker"));
      }
    }
    System.out.printf(Locale.ROOT, "%n### Issues of one GitHub repository: %,d issues with %d comments each, %,d pull"
        + " requests beside them, %d ms simulated latency per request%n%n", issues, comments, pulls, latency);
    System.out.println("| client | issues | comments | wall time | requests | issues per request | primary points"
        + " | GraphQL points | vs hub4j |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    double baseline = rows.get(rows.size() - 1).seconds();
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f s | %,d | %.1f | %,d | %,d | %.1f× |%n", row.client(),
          row.issues(), row.comments(), row.seconds(), row.stats().requests(),
          row.issues() / (double) Math.max(1, row.stats().requests()), row.stats().primaryPointsSpent(),
          row.stats().graphqlPointsSpent(), baseline / row.seconds());
    }
  }

  private static Row gitCollector(GitHubSimulator simulator, String repository) throws Exception {
    Path data = Files.createTempDirectory("bench-issues");
    simulator.resetStats();
    long started = System.nanoTime();
    SyncResult result;
    try (GitCollector collector = GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .build())
        .dataDirectory(data).build()) {
      result = collector.sync(collector.target("https://github.com/" + repository), SyncMode.FULL,
          Optional.of(Set.of(EntityKind.ISSUE)));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long comments = io.gitcollector.testkit.envelopes.EnvelopeFiles.read(data, "git.issues").stream()
        .mapToLong(envelope -> envelope.path("data").path("comments").size()).sum();
    return new Row("Git Collector (GraphQL, comments nested)", result.delivered(StreamKind.of(EntityKind.ISSUE)),
        comments, seconds, simulator.stats());
  }

  private static Row hub4j(GitHubSimulator simulator, String name) throws Exception {
    simulator.resetStats();
    long started = System.nanoTime();
    GitHub github = new GitHubBuilder().withEndpoint(simulator.apiBaseUrl()).withOAuthToken(TOKEN).build();
    GHRepository repository = github.getRepository(name);
    long issues = 0;
    long comments = 0;
    for (GHIssue issue : repository.queryIssues().state(GHIssueState.ALL).pageSize(100).list()) {
      if (issue.isPullRequest()) {
        continue;
      }
      issues++;
      for (GHIssueComment ignored : issue.queryComments().list().withPageSize(100)) {
        comments++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Row("hub4j github-api 1.330 (listIssues, then listComments per issue)", issues, comments, seconds,
        simulator.stats());
  }
}
