package io.gitcollector.postgres;

import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.SettingValues;
import io.gitcollector.postgres.internal.PostgresDatabase;
import java.util.List;
import java.util.Locale;

/**
 * The settings of the PostgreSQL sink and state store, declared once for both ({@code POSTGRES_<NAME>}): the sink is
 * chosen with {@code COLLECTOR_SINK=postgres}, the state store with {@code COLLECTOR_STATE=postgres}.
 */
public final class PostgresSettings {
  /** The component id, and so the prefix of the variables. */
  public static final String ID = "postgres";
  /** Secret: a JDBC URL may carry a password among its parameters. */
  static final Setting URL = Setting.secret("url").doc("the database: jdbc:postgresql://host[:port]/database (or"
      + " postgresql://host[:port]/database); tables go to its schema 'git', created and migrated at start-up");
  static final Setting USER = Setting.secret("user").withDefault("postgres")
      .doc("database user (a secret like the password: never in logs or errors)");
  static final Setting PASSWORD = Setting.secret("password").doc("database password");
  static final Setting POOL_SIZE = Setting.integer("pool_size", 1, 64).withDefault(4)
      .doc("connections each of the sink and the state store keeps (streams write in parallel)");
  static final List<Setting> SETTINGS = List.of(URL, USER, PASSWORD, POOL_SIZE);

  private PostgresSettings() {}

  /** Where to connect, checked; the message names the variable and never the value (it may hold a password). */
  record Connection(String jdbcUrl, String user, String password, int poolSize) {
    /** The URL without its parameters, for descriptions and errors. */
    String location() {
      int query = jdbcUrl.indexOf('?');
      return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
  }

  /**
   * Opens the database the settings name, its schema migrated, with a pool named {@code poolName}.
   *
   * @throws OpenFailed naming where, when it cannot be reached or migrated
   */
  static PostgresDatabase open(SettingValues config, String poolName) {
    Connection connection = connection(config);
    try {
      return PostgresDatabase.open(connection.jdbcUrl(), connection.user(), connection.password(),
          connection.poolSize(), connection.location(), poolName);
    } catch (java.sql.SQLException e) {
      // the server names the user in quotes ("password authentication failed for user \"…\""): it stays secret
      String reason = String.valueOf(e.getMessage()).replace("\"" + connection.user() + "\"", "\"…\"");
      throw new OpenFailed("cannot open PostgreSQL at " + connection.location() + ": " + reason, e);
    }
  }

  /** The database could not be opened; each component reports it as its own failure. */
  static final class OpenFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OpenFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Connection connection(SettingValues config) {
    String url = config.value(URL).orElseThrow(() -> new InvalidConfigurationException("POSTGRES_URL is not set;"
        + " the PostgreSQL sink and state store need jdbc:postgresql://host[:port]/database"));
    String lower = url.toLowerCase(Locale.ROOT);
    String jdbcUrl;
    if (lower.startsWith("jdbc:postgresql://")) {
      jdbcUrl = url;
    } else if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      jdbcUrl = "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3);
    } else {
      throw new InvalidConfigurationException("POSTGRES_URL must start with jdbc:postgresql:// or postgresql://");
    }
    String rest = jdbcUrl.substring("jdbc:postgresql://".length());
    int slash = rest.indexOf('/');
    if (slash < 1 || rest.substring(0, slash).contains("@")) {
      throw new InvalidConfigurationException("POSTGRES_URL must name a host and a database"
          + " (jdbc:postgresql://host[:port]/database); give the user and password in POSTGRES_USER and"
          + " POSTGRES_PASSWORD");
    }
    return new Connection(jdbcUrl, config.require(USER), config.value(PASSWORD).orElse(""),
        config.integer(POOL_SIZE));
  }
}
