package com.example.postgres;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SinkProvider;

/** Sink id {@code postgres}; settings {@code jdbc_url}, {@code user}, {@code password}. */
public final class PostgresSinkProvider implements SinkProvider {
  @Override
  public String id() {
    return "postgres";
  }

  @Override
  public Sink create(ComponentConfig config) {
    return new PostgresSink(config.require("jdbc_url"), config.get("user").orElse("postgres"),
        config.get("password").orElse(""));
  }
}
