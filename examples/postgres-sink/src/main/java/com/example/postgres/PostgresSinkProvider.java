package com.example.postgres;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;
import java.util.List;

/**
 * Sink id {@code postgres}: {@code COLLECTOR_SINK=postgres}, or {@code POSTGRES_JDBC_URL} alone, selects it; its
 * settings are declared here once and become {@code POSTGRES_<NAME>} variables.
 */
public final class PostgresSinkProvider implements SinkProvider {
  static final Setting JDBC_URL = Setting.text("jdbc_url").selecting()
      .doc("store envelopes in PostgreSQL: jdbc:postgresql://host:port/database");
  static final Setting USER = Setting.text("user").withDefault("postgres").doc("database user");
  static final Setting PASSWORD = Setting.secret("password").doc("database password");

  @Override
  public String id() {
    return "postgres";
  }

  @Override
  public List<Setting> settings() {
    return List.of(JDBC_URL, USER, PASSWORD);
  }

  @Override
  public Sink create(ComponentConfig config) {
    return new PostgresSink(config.require(JDBC_URL), config.require(USER), config.value(PASSWORD).orElse(""));
  }
}
