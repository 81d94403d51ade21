package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.postgres.TestPostgres;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code collect} JVM writing into PostgreSQL ({@code COLLECTOR_SINK=postgres},
 * {@code COLLECTOR_STATE=postgres}) at points spread over a full sync, each time run again: every entity arrives, and
 * none is written twice, because each page commits with its stream's position (the JSON-lines default, by contrast,
 * may deliver the page in flight again: {@link KillNineIT}).
 */
class PostgresKillNineIT {
  private static final String TOKEN = "pg-kill-token";
  private static final int KILLS = 8;

  @Test
  void killedAnywhereTheCollectionIntoPostgresLosesNothingAndWritesNothingTwice(@TempDir Path work)
      throws Exception {
    try (TestPostgres postgres = TestPostgres.start(work.resolve("pg"));
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(25)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/killed", RepositorySpec.of(5_000, 400, 1));
      Map<String, String> environment = Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN,
          "COLLECTOR_SINK", "postgres", "COLLECTOR_STATE", "postgres", "POSTGRES_URL", postgres.jdbcUrl(),
          "POSTGRES_USER", "postgres");
      String[] command = {"collect", "https://github.com/acme/killed", "--data-dir", work.resolve("data").toString()};
      long entities = repository.commitCount() + 400L;
      String rows = "SELECT (SELECT count(*) FROM git.commits) + (SELECT count(*) FROM git.pull_requests)";
      int kills = 0;
      for (int point = 1; point <= KILLS; point++) {
        long killAt = entities * point / (KILLS + 1);
        ChildJvm child = ChildJvm.start(work.resolve("run"), environment, List.of(), command);
        org.awaitility.Awaitility.await("the kill point, or the collection's end").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(5)).until(() -> !child.isAlive() || stored(postgres, rows) >= killAt);
        assertTrue(child.isAlive(), () -> "the collector ended before kill point " + killAt + ": " + child.stderr());
        child.kill();
        kills++;
      }
      ChildJvm last = ChildJvm.start(work.resolve("run"), environment, List.of(), command);
      assertEquals(0, last.await(), last::stderr);
      assertTrue(last.stderr().contains("postgres:"), "the run says where the envelopes went: " + last.stderr());

      long commits = postgres.count("SELECT count(*) FROM git.commits WHERE repository_id ="
          + " 'github:github.com/acme/killed'");
      long pulls = postgres.count("SELECT count(*) FROM git.pull_requests WHERE repository_id ="
          + " 'github:github.com/acme/killed'");
      long twice = postgres.count("SELECT (SELECT count(*) FROM git.commits WHERE deliveries > 1)"
          + " + (SELECT count(*) FROM git.pull_requests WHERE deliveries > 1)");
      long lost = entities - commits - pulls;
      ReliabilityLog.record(new ReliabilityLog.Row("1-kill-postgres", "kill -9 of the `collect` JVM writing into"
          + " PostgreSQL (sink and state) at " + KILLS + " points spread over a full GitHub sync, each time run again",
          kills, lost == 0 && twice == 0 ? kills : 0, entities + " entities, " + lost + " lost, " + twice
              + " written twice (each page commits with its position)"));
      assertEquals(repository.commitCount(), commits, "every commit");
      assertEquals(400, pulls, "every pull request");
      assertEquals(0, twice, "no page written twice");
      assertEquals(1, postgres.count("SELECT count(*) FROM git.collector_state WHERE key ="
          + " 'status/github:github.com/acme/killed' AND value LIKE '%COMPLETED%'"), "the status is in PostgreSQL");
    }
  }

  private static long stored(TestPostgres postgres, String sql) {
    try {
      return postgres.count(sql);
    } catch (java.sql.SQLException e) {
      return 0; // the schema is not there until the first run migrated it
    }
  }
}
