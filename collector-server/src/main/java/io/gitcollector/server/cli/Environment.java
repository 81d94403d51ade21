package io.gitcollector.server.cli;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SettingsCatalog;
import io.gitcollector.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration from environment variables, checked once: a malformed value stops the program with a message that
 * names the variable (and never echoes a secret).
 */
public final class Environment {
  private final Map<String, String> variables;
  private final EnvironmentSettings settings;

  public Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
    this.settings = EnvironmentSettings.of(variables);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** Sets the log level before the logger starts; an unknown level is reported later by {@link #check()}. */
  public static void applyLogLevel(Map<String, String> variables) {
    String level = variables.get("LOG_LEVEL");
    if (level != null && ServerConfig.LOG_LEVEL.choices().contains(level.strip().toLowerCase(Locale.ROOT))) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.strip().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Validates every variable a component on the class path declares (a malformed one stops with its name), and
   * refuses an unknown {@code COLLECTOR_*} one.
   */
  public Environment check() {
    SettingsCatalog catalog = ServerConfig.catalog(Environment.class.getClassLoader());
    catalog.check(variables);
    catalog.refuseUnknownCollectorVariables(variables);
    return this;
  }

  public Optional<String> value(String name) {
    return settings.value(name);
  }

  /** Where the embedded defaults write: {@code COLLECTOR_DATA_DIR}, or {@code ./collector-data}. */
  public Path dataDirectory() {
    return settings.dataDirectory();
  }

  /** GitHub's configuration from its variables, if any is set. */
  public Optional<io.gitcollector.core.spi.PlatformConfig> githubConfig() {
    return settings.platformConfig("github");
  }

  /** A collector configured from the environment: platforms, sink and state store. */
  public GitCollector.Builder collector() {
    return settings.applyTo(GitCollector.builder(), Environment.class.getClassLoader());
  }
}
