package io.gitcollector.benchmarks;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.Pager;
import org.gitlab4j.api.models.Commit;
import org.gitlab4j.api.models.MergeRequest;
import org.gitlab4j.api.models.Note;

/**
 * The GitLab part of the performance suite: a full collection of one project (commits with statistics, merge requests
 * with their approvals and notes as reviews) by Git Collector, beside gitlab4j-api's own {@link org.gitlab4j.api.Pager}
 * collecting the same data from the same simulator in the same run: what a Java team would write with the library
 * alone (pages one after the other, approvals and notes per merge request).
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl collector-benchmarks exec:java
 * -Dexec.mainClass=io.gitcollector.benchmarks.GitLabCollectionBenchmark -Dexec.args="25 5000 500"} (latency in ms,
 * commits, merge requests).
 */
public final class GitLabCollectionBenchmark {
  private static final String TOKEN = "glpat-benchmarkToken0123";
  private static final String PROJECT = "acme/platform/bench";
  private static final String WARM_UP = "acme/platform/warm-up";

  private GitLabCollectionBenchmark() {}

  record Row(String client, long commits, long mergeRequests, long reviews, double seconds, long requests) {}

  public static void main(String[] args) throws Exception {
    int latency = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int mergeRequests = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    List<Row> rows = new ArrayList<>();
    try (GitLabSimulator simulator = GitLabSimulator.start(TOKEN, Duration.ofMillis(latency))) {
      // both clients and the simulator first run a small project, so neither measured run pays for the JIT alone
      simulator.addProject(WARM_UP, RepositorySpec.of(500, 50, 2));
      gitCollector(simulator, WARM_UP);
      gitlab4jPager(simulator, WARM_UP);
      simulator.addProject(PROJECT, RepositorySpec.of(commits, mergeRequests, 2));
      rows.add(gitCollector(simulator, PROJECT));
      rows.add(gitlab4jPager(simulator, PROJECT));
    }
    System.out.printf(Locale.ROOT, "%n### Full collection of one GitLab project: %,d commits with statistics, %,d merge"
        + " requests with 2 reviews each, %d ms simulated latency per request, %d cores%n%n", commits, mergeRequests,
        latency, Runtime.getRuntime().availableProcessors());
    System.out.println("| client | commits | merge requests | reviews | wall time | requests | vs gitlab4j |");
    System.out.println("|---|---|---|---|---|---|---|");
    double baseline = rows.get(1).seconds();
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f s | %,d | %.1f× |%n", row.client(), row.commits(),
          row.mergeRequests(), row.reviews(), row.seconds(), row.requests(), baseline / row.seconds());
    }
  }

  private static Row gitCollector(GitLabSimulator simulator, String project) throws Exception {
    Path data = Files.createTempDirectory("bench-gitlab");
    simulator.resetStats();
    long started = System.nanoTime();
    SyncResult result;
    try (GitCollector collector = GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.url()).build())
        .dataDirectory(data).build()) {
      result = collector.sync(simulator.url() + "/" + project, SyncMode.FULL);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long pulls = result.delivered(StreamKind.PULL_REQUESTS);
    return new Row("Git Collector", result.delivered(StreamKind.COMMITS), pulls, 2 * pulls, seconds,
        simulator.requests());
  }

  /** gitlab4j-api's pagers: commits with statistics, merge requests, then each one's approvals and notes. */
  private static Row gitlab4jPager(GitLabSimulator simulator, String project) throws Exception {
    simulator.resetStats();
    long started = System.nanoTime();
    long commits = 0;
    long mergeRequests = 0;
    long reviews = 0;
    try (GitLabApi gitlab = new GitLabApi(simulator.url(), TOKEN)) {
      for (List<Commit> page : pages(gitlab.getCommitsApi().getCommits(project, "main", null, null, null, null, true,
          null, 100))) {
        commits += page.size();
      }
      for (List<MergeRequest> page : pages(gitlab.getMergeRequestApi().getMergeRequests(project, 100))) {
        for (MergeRequest mergeRequest : page) {
          mergeRequests++;
          MergeRequest approvals = gitlab.getMergeRequestApi().getApprovals(project, mergeRequest.getIid());
          reviews += approvals.getApprovedBy() == null ? 0 : approvals.getApprovedBy().size();
          for (List<Note> notes : pages(
              gitlab.getNotesApi().getMergeRequestNotes(project, mergeRequest.getIid(), 100))) {
            reviews += notes.stream().filter(note -> !Boolean.TRUE.equals(note.getSystem())).count();
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Row("gitlab4j-api 6.2.0 Pager, pages in sequence", commits, mergeRequests, reviews, seconds,
        simulator.requests());
  }

  /** A pager walked page by page, as it fetches them: one request per page, the next only after the last. */
  private static <T> Iterable<List<T>> pages(Pager<T> pager) {
    return () -> pager;
  }
}
