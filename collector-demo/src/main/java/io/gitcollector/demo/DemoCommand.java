package io.gitcollector.demo;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.server.cli.ProgressPrinter;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts the GitHub simulator on 127.0.0.1 with a sample repository and collects it, then collects it
 * again incrementally after a few changes, so a newcomer sees the whole cycle without a network or a token.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Collects a simulated GitHub repository served on 127.0.0.1 (no network, no token needed).")
public final class DemoCommand implements Callable<Integer> {
  private static final String DEMO_TOKEN = "demo-token-not-a-secret";

  @Option(names = "--commits", defaultValue = "5000", description = "Commits in the sample repository.")
  int commits;

  @Option(names = "--pull-requests", defaultValue = "500", description = "Pull requests in the sample repository.")
  int pullRequests;

  @Option(names = "--latency-ms", defaultValue = "0", description = "Simulated latency per request.")
  int latencyMs;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "collector-data/demo",
      description = "Where envelopes and state go (default ./collector-data/demo).")
  Path dataDir;

  @Override
  public Integer call() {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(DEMO_TOKEN)
        .latency(Duration.ofMillis(latencyMs)).start()) {
      SimulatedRepository repository =
          simulator.addRepository("octo-demo/hello-collector", RepositorySpec.of(commits, pullRequests, 2)
              .withIssues(pullRequests, 2).withCiRuns(commits / 10).withDeployments(24).withReleases(12));
      String url = "https://github.com/octo-demo/hello-collector";
      System.err.println("simulated GitHub at " + simulator.apiBaseUrl() + " serving " + url + " ("
          + commits + " commits, " + pullRequests + " pull requests, as many issues, " + commits / 10
          + " CI runs, 24 deployments, 12 releases)");
      PlatformConfig github = PlatformConfig.builder().token(Secret.of(DEMO_TOKEN))
          .apiBaseUrl(simulator.apiBaseUrl()).build();
      ProgressPrinter progress = new ProgressPrinter(System.err, ProgressPrinter.stderrIsTerminal(System.getenv()));
      try (GitCollector collector = GitCollector.builder().platform("github", github).dataDirectory(dataDir)
          .listener(progress).build()) {
        SyncResult full = collector.sync(url, SyncMode.FULL);
        progress.summary(full);
        repository.addCommits(25);
        repository.updatePullRequests(1, 2, 3);
        System.err.println("the simulator pushed 25 commits and updated 3 pull requests; collecting incrementally");
        SyncResult incremental = collector.sync(url, SyncMode.INCREMENTAL);
        progress.summary(incremental);
      }
      System.err.println("envelopes are in " + dataDir.toAbsolutePath() + ", one file per topic (git.commits.jsonl,"
          + " git.issues.jsonl, …)");
      return 0;
    }
  }
}
