package com.example.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.compat.SinkCompatibilityKit;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL sink on a real PostgreSQL server: the sink kit, and a whole collection that resumes idempotently. */
class PostgresSinkIT extends SinkCompatibilityKit {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private static String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  protected Sink createSink() {
    return new PostgresSink(jdbcUrl(), "postgres", "");
  }

  @Override
  protected List<String> deliveredEventIds(String repositoryId) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : List.of("repositories", "commits", "pull_requests")) {
        try (ResultSet rows = statement.executeQuery("SELECT event_id FROM " + table + " WHERE repository_id = '"
            + repositoryId.replace("'", "''") + "' ORDER BY stored_at, ctid")) {
          while (rows.next()) {
            ids.add(rows.getString(1));
          }
        }
      }
    }
    return ids;
  }

  private static long count(String sql) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void aCollectionLandsInItsTablesAndARerunAddsNothing(@TempDir Path state) throws Exception {
    SinkProvider provider = ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("postgres")).findFirst().orElseThrow();
    try (GitHubSimulator simulator = GitHubSimulator.builder().token("pg-token").start()) {
      SimulatedRepository repository = simulator.addRepository("example/stored", RepositorySpec.of(830, 70, 2));
      for (int run = 0; run < 2; run++) {
        try (GitCollector collector = GitCollector.builder()
            .platform("github", PlatformConfig.builder().token(Secret.of("pg-token"))
                .apiBaseUrl(simulator.apiBaseUrl()).build())
            .sink(provider.create(ComponentConfig.of(Map.of("jdbc_url", jdbcUrl(), "user", "postgres"))))
            .dataDirectory(state.resolve("run-" + run))
            .build()) {
          collector.sync("https://github.com/example/stored", SyncMode.FULL);
        }
      }
      String id = "'github:github.com/example/stored'";
      assertEquals(repository.commitCount(), count("SELECT count(*) FROM commits WHERE repository_id = " + id),
          "two full runs, each commit stored once");
      assertEquals(repository.pullRequestCount(),
          count("SELECT count(*) FROM pull_requests WHERE repository_id = " + id));
      assertEquals(140, count("SELECT sum(jsonb_array_length(envelope->'data'->'reviews')) FROM pull_requests"
          + " WHERE repository_id = " + id));
    }
  }
}
