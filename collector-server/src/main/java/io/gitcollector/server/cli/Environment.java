package io.gitcollector.server.cli;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration from environment variables, checked once: a malformed value stops the program with a message that
 * names the variable (and never echoes a secret).
 */
public final class Environment {
  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  private final EnvironmentSettings settings;

  public Environment(Map<String, String> variables) {
    this.settings = EnvironmentSettings.of(variables);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** Sets the log level before the logger starts; an unknown level is reported later by {@link #check()}. */
  public static void applyLogLevel(Map<String, String> variables) {
    String level = variables.get("LOG_LEVEL");
    if (level != null && LOG_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.toLowerCase(Locale.ROOT));
    }
  }

  /** Validates every variable the collector reads. */
  public Environment check() {
    value("LOG_LEVEL").ifPresent(level -> {
      if (!LOG_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
        throw new InvalidConfigurationException("LOG_LEVEL must be one of " + LOG_LEVELS + ", was '" + level + "'");
      }
    });
    return this;
  }

  public Optional<String> value(String name) {
    return settings.value(name);
  }

  /** Where the embedded defaults write: {@code COLLECTOR_DATA_DIR}, or {@code ./collector-data}. */
  public Path dataDirectory() {
    return settings.dataDirectory();
  }

  /** GitHub's configuration from GITHUB_TOKEN and GITHUB_API_URL, if either is set. */
  public Optional<io.gitcollector.core.spi.PlatformConfig> githubConfig() {
    return settings.platformConfig("github");
  }

  /** A collector configured from the environment: platforms, sink (KAFKA_BROKERS) and state store. */
  public GitCollector.Builder collector() {
    return settings.applyTo(GitCollector.builder(), Environment.class.getClassLoader());
  }
}
