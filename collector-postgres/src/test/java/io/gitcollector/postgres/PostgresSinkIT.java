package io.gitcollector.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.compat.SinkCompatibilityKit;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL sink on a real server: the sink kit; a collection into the kinds' tables with their typed columns,
 * each entity one row however often it is collected; the queries the README gives; a table for every kind.
 */
class PostgresSinkIT extends SinkCompatibilityKit {
  private static final String TOKEN = "pg-sink-token";
  @TempDir static Path data;
  private static TestPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start(data.resolve("pg"));
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Override
  protected Sink createSink() {
    return new PostgresSinkProvider().create(ComponentConfig.of(postgres.settings()));
  }

  @Override
  protected List<String> deliveredEventIds(String repositoryId) throws Exception {
    // in the order they were written (git.changes orders every write)
    List<String> ids = new ArrayList<>();
    try (Connection connection = postgres.connection();
        PreparedStatement read = connection.prepareStatement("SELECT event_id::text FROM ("
            + " SELECT event_id, change_sequence FROM git.repositories WHERE repository_id = ?"
            + " UNION ALL SELECT event_id, change_sequence FROM git.commits WHERE repository_id = ?"
            + " UNION ALL SELECT event_id, change_sequence FROM git.pull_requests WHERE repository_id = ?"
            + ") AS stored ORDER BY change_sequence")) {
      for (int i = 1; i <= 3; i++) {
        read.setString(i, repositoryId);
      }
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
    }
    return ids;
  }

  private GitCollector collector(GitHubSimulator simulator, Path state) {
    return GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .build())
        .sink(createSink()).dataDirectory(state).build();
  }

  @Test
  void aCollectionFillsTheKindsTablesWithTypedColumnsOneRowPerEntity(@TempDir Path state) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/stored", RepositorySpec.of(830, 70, 2)
          .withIssues(12, 1).withReleases(3));
      String id = "'github:github.com/acme/stored'";
      try (GitCollector collector = collector(simulator, state)) {
        collector.sync("https://github.com/acme/stored", SyncMode.FULL);
        collector.sync("https://github.com/acme/stored", SyncMode.FULL);
      }
      assertEquals(repository.commitCount(), postgres.count("SELECT count(*) FROM git.commits WHERE repository_id = "
          + id), "two full runs: each commit one row");
      assertEquals(repository.commitCount(), postgres.count("SELECT count(*) FROM git.commits WHERE repository_id = "
          + id + " AND deliveries = 2"), "and each delivered twice, counted on its row");
      assertEquals(70, postgres.count("SELECT count(*) FROM git.pull_requests WHERE repository_id = " + id));
      assertEquals(12, postgres.count("SELECT count(*) FROM git.issues WHERE repository_id = " + id));
      assertEquals(1, postgres.count("SELECT count(*) FROM git.repositories WHERE repository_id = " + id
          + " AND full_name = 'acme/stored' AND default_branch IS NOT NULL"));
      // the typed columns are the envelope's fields
      assertEquals(0, postgres.count("SELECT count(*) FROM git.commits WHERE repository_id = " + id
          + " AND (sha IS DISTINCT FROM entity_key OR committed_at IS NULL OR author_email IS NULL"
          + " OR additions IS NULL OR committed_at <> (envelope #>> '{data,committer,date}')::timestamptz)"));
      assertEquals(postgres.count("SELECT count(*) FROM git.pull_requests WHERE repository_id = " + id
          + " AND envelope #>> '{data,state}' = 'merged'"), postgres.count("SELECT count(*) FROM git.pull_requests"
          + " WHERE repository_id = " + id + " AND state = 'merged' AND merged_at IS NOT NULL"));

      // the README's queries run and agree with the rows
      String readme = Files.readString(Path.of("..", "README.md"));
      List<String> queries = readmeQueries(readme);
      assertEquals(2, queries.size(), "the README's PostgreSQL queries");
      try (Connection connection = postgres.connection()) {
        long commits = 0;
        try (ResultSet rows = connection.createStatement().executeQuery(queries.get(0))) {
          while (rows.next()) {
            commits += rows.getLong("commits");
          }
        }
        assertEquals(repository.commitCount(), commits, "commits per author per week add up to every commit");
        long weeks = 0;
        try (ResultSet rows = connection.createStatement().executeQuery(queries.get(1))) {
          while (rows.next()) {
            assertTrue(rows.getDouble("median_hours") >= 0);
            weeks++;
          }
        }
        assertTrue(weeks > 0, "pull-request cycle time per week");
      }
    }
  }

  /** The SQL blocks of the README's PostgreSQL section. */
  private static List<String> readmeQueries(String readme) {
    int section = readme.indexOf("### Queries");
    String text = readme.substring(section, readme.indexOf("\n## ", section));
    List<String> queries = new ArrayList<>();
    Matcher block = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (block.find()) {
      queries.add(block.group(1).strip().replaceAll(";$", "").replace("github:github.com/octocat/hello-world",
          "github:github.com/acme/stored"));
    }
    return queries;
  }

  @Test
  void positionsCommitWithTheirPageAndFollowARenamedRepository() throws Exception {
    String from = "github:github.com/kit/old-name";
    String to = "github:github.com/kit/new-name";
    try (Sink sink = createSink()) {
      PostgresSink postgresSink = (PostgresSink) sink;
      io.gitcollector.core.engine.StreamKind commits = io.gitcollector.core.engine.StreamKind.COMMITS;
      assertEquals(java.util.Optional.empty(), postgresSink.position(from, commits));
      io.gitcollector.core.engine.StreamCheckpoint after = new io.gitcollector.core.engine.StreamCheckpoint(
          "page-2", false);
      postgresSink.publish(from, commits, List.of(io.gitcollector.testkit.compat.SampleEnvelopes.commit(from, 1)),
          after).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals("page-2", postgresSink.position(from, commits).orElseThrow().cursor());
      postgresSink.moveRepository(from, to);
      assertEquals("page-2", postgresSink.position(to, commits).orElseThrow().cursor(), "the position followed");
      assertEquals(java.util.Optional.empty(), postgresSink.position(from, commits));
      assertEquals(1, postgres.count("SELECT count(*) FROM git.commits WHERE repository_id = '" + from + "'"),
          "the rows stay under the id they were collected with");
    }
  }

  @Test
  void everyKindTheCollectorDeclaresHasItsTable() throws Exception {
    try (Sink sink = createSink()) {
      PostgresSink postgresSink = (PostgresSink) sink;
      Set<String> missing = new TreeSet<>();
      EntityKind.all().forEach(kind -> {
        if (postgresSink.tableOf(kind.eventType()).equals("other_envelopes")) {
          missing.add(kind.eventType());
        }
      });
      assertEquals(Set.of(), missing, "kinds with no table of their own: add them in a migration");
      assertEquals("other_envelopes", postgresSink.tableOf("milestone_updated"), "a plugin's kind");
    }
  }

  @Test
  void aRefusedLoginSaysSoWithoutTheUserOrThePassword() {
    var error = org.junit.jupiter.api.Assertions.assertThrows(io.gitcollector.core.model.SinkException.class,
        () -> new PostgresSinkProvider().create(ComponentConfig.of(Map.of("url", postgres.jdbcUrl(), "user",
            "no-such-collector", "password", "not-the-password"))));
    assertTrue(error.getMessage().startsWith("cannot open PostgreSQL at " + postgres.jdbcUrl()), error.getMessage());
    assertTrue(!error.getMessage().contains("no-such-collector") && !error.getMessage().contains("not-the-password"),
        error.getMessage());
  }

  @Test
  void theSettingsAreCheckedAtTheBoundary() {
    for (Map.Entry<String, String> bad : Map.of("mysql://host/db", "must start with",
        "jdbc:postgresql://user:secret@host/db", "name a host and a database",
        "jdbc:postgresql://host", "name a host and a database").entrySet()) {
      var error = org.junit.jupiter.api.Assertions.assertThrows(
          io.gitcollector.core.model.InvalidConfigurationException.class,
          () -> new PostgresSinkProvider().create(ComponentConfig.of(Map.of("url", bad.getKey()))));
      assertTrue(error.getMessage().contains("POSTGRES_URL") && error.getMessage().contains(bad.getValue()),
          error.getMessage());
      assertTrue(!error.getMessage().contains("secret"), "the URL's value never appears: " + error.getMessage());
    }
  }
}
