package io.gitcollector.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server for the tests (binaries brought by Maven), on a fixed port and data directory, so that a
 * test can stop it and start it again as a database restart would.
 */
public final class TestPostgres implements AutoCloseable {
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private TestPostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  public static TestPostgres start(Path dataDirectory) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestPostgres postgres = new TestPostgres(dataDirectory, port);
    postgres.startServer();
    return postgres;
  }

  /** Initializes the data directory when it is new; never deletes it (a restart must find its data). */
  private void startServer() throws IOException {
    server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
        .start();
  }

  /** Stops the server (its connections break) and starts it again on the same data and port. */
  public void restart() throws IOException {
    stop();
    startServer();
  }

  /** Stops the server; {@link #restart()} brings it back. */
  public void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The settings of the sink and state store as read from {@code POSTGRES_*}. */
  public Map<String, String> settings() {
    return Map.of("url", jdbcUrl(), "user", "postgres");
  }

  public long count(String sql) throws SQLException {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  public Connection connection() throws SQLException {
    return server.getPostgresDatabase().getConnection();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
