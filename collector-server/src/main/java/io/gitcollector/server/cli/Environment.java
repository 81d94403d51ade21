package io.gitcollector.server.cli;

import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
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

  private final Map<String, String> variables;

  public Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
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
    value("GITHUB_API_URL").ifPresent(url -> httpUrl("GITHUB_API_URL", url));
    value("GITHUB_TOKEN").ifPresent(token -> {
      if (token.chars().anyMatch(Character::isWhitespace)) {
        throw new InvalidConfigurationException("GITHUB_TOKEN contains white space; it is not a valid token");
      }
    });
    return this;
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(variables.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** Where the embedded defaults write: {@code COLLECTOR_DATA_DIR}, or {@code ./collector-data}. */
  public Path dataDirectory() {
    return value("COLLECTOR_DATA_DIR").map(Path::of).orElse(Path.of("collector-data"));
  }

  /** GitHub's configuration from {@code GITHUB_TOKEN} and {@code GITHUB_API_URL}. */
  public PlatformConfig github(boolean commitFiles) {
    PlatformConfig.Builder builder = PlatformConfig.builder();
    value("GITHUB_TOKEN").map(Secret::of).ifPresent(builder::token);
    value("GITHUB_API_URL").ifPresent(builder::apiBaseUrl);
    if (commitFiles) {
      builder.setting("commit_files", "true");
    }
    return builder.build();
  }

  private static void httpUrl(String name, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new InvalidConfigurationException(name + " must be an http(s) URL with a host, was '" + value + "'");
      }
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(name + " is not a valid URL: " + e.getReason());
    }
  }
}
