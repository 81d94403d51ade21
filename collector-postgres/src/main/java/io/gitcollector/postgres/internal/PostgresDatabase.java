package io.gitcollector.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A pool of connections to the collector's database, its schema migrated when it opens. The pool replaces
 * connections a restart of the server broke: a write that fails on one fails its page (whose position does not
 * move), and the next write gets a new connection once the server is back.
 */
public final class PostgresDatabase implements AutoCloseable {
  /** The schema the migrations create and own. */
  public static final String SCHEMA = "git";

  private final HikariDataSource pool;
  private final String location;

  /**
   * Opens the pool and brings the schema to the newest version (Flyway, {@code db/git-collector/V*.sql}); several
   * instances starting at once migrate once, under Flyway's lock.
   *
   * @throws SQLException when the database cannot be reached or migrated
   */
  public static PostgresDatabase open(String jdbcUrl, String user, String password, int poolSize, String location,
      String poolName) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setPoolName(poolName);
    // a page waits this long for a connection, then fails (and is collected again by the next sync)
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(2_000);
    config.setAutoCommit(false);
    // no connection at start-up is not fatal to the pool; the migration below tells the real error
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof SQLException)) {
        cause = cause.getCause();
      }
      throw new SQLException(cause.getMessage(), e);
    }
    return new PostgresDatabase(pool, location);
  }

  private PostgresDatabase(HikariDataSource pool, String location) {
    this.pool = pool;
    this.location = location;
  }

  private static void migrate(DataSource dataSource) {
    Flyway.configure(PostgresDatabase.class.getClassLoader()).dataSource(dataSource).schemas(SCHEMA)
        .createSchemas(true).locations("classpath:db/git-collector").load().migrate();
  }

  /** Work done in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction and commits it. When the connection turns out broken before the commit was
   * sent (the server restarted since the pool last used it), the transaction cannot have happened: it is run once more
   * on a new connection. A failure while committing is never retried: the commit may have happened.
   *
   * @throws SQLException when the work fails, or the database cannot be reached
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    try {
      return attempt(work);
    } catch (BrokenBeforeCommit e) {
      try {
        return attempt(work);
      } catch (BrokenBeforeCommit again) {
        again.getCause().addSuppressed(e.getCause());
        throw again.getCause();
      }
    }
  }

  private <T> T attempt(Work<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      T result;
      try {
        result = work.run(connection);
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        if (e instanceof SQLException sql && broken(sql)) {
          throw new BrokenBeforeCommit(sql);
        }
        throw e;
      }
      connection.commit();
      return result;
    }
  }

  private static void rollback(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
    }
  }

  /** Connection exceptions (class 08) and the server shutting down or restarting (57P01 to 57P03). */
  private static boolean broken(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03"));
  }

  /** A failure on a broken connection before the commit: nothing of the transaction happened. */
  private static final class BrokenBeforeCommit extends SQLException {
    private static final long serialVersionUID = 1L;

    BrokenBeforeCommit(SQLException cause) {
      super(cause.getMessage(), cause.getSQLState(), cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** How the sink and the state store describe themselves: {@code postgres:} and the location. */
  public String describe() {
    return "postgres:" + location;
  }

  /** {@code jdbc:postgresql://host:port/database}, without parameters. */
  public String location() {
    return location;
  }

  /** Up when a connection answers within two seconds now; else down, saying why. */
  public io.gitcollector.core.spi.Health health() {
    String problem;
    try (Connection connection = pool.getConnection()) {
      if (connection.isValid(2)) {
        return io.gitcollector.core.spi.Health.up("PostgreSQL at " + location + " answers");
      }
      problem = "the connection did not answer within 2 s";
    } catch (SQLException e) {
      problem = e.getMessage();
    }
    return io.gitcollector.core.spi.Health.down("PostgreSQL at " + location + ": " + problem);
  }

  @Override
  public void close() {
    pool.close();
  }
}
