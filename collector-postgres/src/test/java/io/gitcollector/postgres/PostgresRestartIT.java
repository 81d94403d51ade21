package io.gitcollector.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restarts in the middle of a sync, its connections broken: the sync fails or goes on, nothing it
 * reported delivered is lost, and the next sync completes the repository with every row written once (a page and
 * its position commit together, so no page is written twice).
 */
class PostgresRestartIT {
  private static final String TOKEN = "pg-restart-token";

  @Test
  void aDatabaseRestartInTheMiddleOfASyncLosesNothingAndWritesNothingTwice(@TempDir Path data) throws Exception {
    try (TestPostgres postgres = TestPostgres.start(data.resolve("pg"));
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(40)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/restarted", RepositorySpec.of(4_000, 150, 1));
      String id = "'github:github.com/acme/restarted'";
      try (GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
              .build())
          .sink(new PostgresSinkProvider().create(ComponentConfig.of(postgres.settings())))
          .dataDirectory(data.resolve("collector")).build()) {
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() ->
            collector.sync("https://github.com/acme/restarted", SyncMode.FULL));
        org.awaitility.Awaitility.await("300 commits stored").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> postgres.count("SELECT count(*) FROM git.commits") >= 300);
        long before = postgres.count("SELECT count(*) FROM git.commits");
        postgres.restart();
        String outcome;
        try {
          first.get(2, TimeUnit.MINUTES);
          outcome = "completed";
        } catch (ExecutionException e) {
          outcome = e.getCause() instanceof CollectorException failed ? "failed: " + failed.code() : "threw "
              + e.getCause();
        }
        // whatever the first sync did, the next one ends the work
        collector.sync("https://github.com/acme/restarted", SyncMode.INCREMENTAL);
        long twice = postgres.count("SELECT (SELECT count(*) FROM git.commits WHERE deliveries > 1)"
            + " + (SELECT count(*) FROM git.pull_requests WHERE deliveries > 1)");
        long lost = repository.commitCount() + 150L - postgres.count("SELECT (SELECT count(*) FROM git.commits)"
            + " + (SELECT count(*) FROM git.pull_requests)");
        io.gitcollector.testkit.reliability.ReliabilityLog.record(new io.gitcollector.testkit.reliability
            .ReliabilityLog.Row("2-postgres-restart", "PostgreSQL stopped and started again in the middle of a full"
            + " sync into it, the sync's connections broken", 1, lost == 0 && twice == 0 ? 1 : 0, "restarted after "
            + before + " commits; the sync " + outcome + "; after the next sync " + lost + " lost, " + twice
            + " written twice"));
      }
      assertEquals(repository.commitCount(), postgres.count("SELECT count(*) FROM git.commits WHERE repository_id = "
          + id), "every commit is there");
      assertEquals(150, postgres.count("SELECT count(*) FROM git.pull_requests WHERE repository_id = " + id));
      assertEquals(0, postgres.count("SELECT count(*) FROM git.commits WHERE deliveries > 1"), "none written twice");
      assertEquals(0, postgres.count("SELECT count(*) FROM git.pull_requests WHERE deliveries > 1"));
    }
  }
}
