package io.gitcollector.server.config;

import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's settings, from environment variables and, optionally, a properties file with the same keys (the
 * environment wins). Every value is checked at start-up; a bad one stops the server with a message naming the key.
 * Secrets are held as {@link Secret}s and never printed.
 */
public record ServerConfig(
    int port,
    Optional<Secret> jwtSecret,
    Optional<String> jwksUrl,
    boolean metricsPublic,
    Map<String, Secret> webhookSecrets,
    int maxWebhookBytes,
    long webhookInflightBytes,
    Duration jwtClockSkew,
    Duration syncInterval,
    Duration fullSyncInterval,
    Duration schedulerTick,
    int workers,
    Duration shutdownGrace,
    Duration leaseTtl,
    String instanceId,
    Map<String, String> collectorSettings) {

  /** Keys a configuration file may hold: the server's own and those of the collector it runs. */
  public static final Set<String> KNOWN_KEYS = Set.of("PORT", "JWT_SECRET_KEY", "JWT_JWKS_URL", "METRICS_PUBLIC",
      "GITHUB_WEBHOOK_SECRET", "GITLAB_WEBHOOK_TOKEN", "BITBUCKET_WEBHOOK_SECRET", "WEBHOOK_MAX_BYTES",
      "WEBHOOK_INFLIGHT_BYTES", "JWT_CLOCK_SKEW", "COLLECTOR_MAX_RATE_LIMIT_WAIT",
      "SYNC_INTERVAL", "FULL_SYNC_INTERVAL", "SCHEDULER_TICK", "COLLECTOR_WORKERS", "SHUTDOWN_GRACE", "LEASE_TTL", "INSTANCE_ID", "LOG_LEVEL",
      "GITHUB_TOKEN", "GITHUB_API_URL", "GITLAB_TOKEN", "GITLAB_URL", "BITBUCKET_TOKEN", "BITBUCKET_API_URL",
      "KAFKA_BROKERS", "REDIS_URL", "COLLECTOR_DATA_DIR", "COLLECTOR_PIPELINE_DEPTH");

  public ServerConfig {
    webhookSecrets = Map.copyOf(webhookSecrets);
    collectorSettings = Map.copyOf(collectorSettings);
  }

  /** Reads and checks the configuration; {@code file} keys must all be known ({@code KAFKA_*} pass through). */
  public static ServerConfig load(Map<String, String> environment, Optional<Path> file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file.isPresent()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new InvalidConfigurationException("cannot read the configuration file " + file.get() + ": "
            + e.getMessage());
      }
      Set<String> unknown = new TreeSet<>();
      for (String key : properties.stringPropertyNames()) {
        if (!KNOWN_KEYS.contains(key) && !key.startsWith("KAFKA_") && !key.startsWith("REDIS_")) {
          unknown.add(key);
        }
        values.put(key, properties.getProperty(key).strip());
      }
      if (!unknown.isEmpty()) {
        throw new InvalidConfigurationException("unknown key " + unknown + " in " + file.get() + "; known keys: "
            + new TreeSet<>(KNOWN_KEYS));
      }
    }
    environment.forEach((key, value) -> {
      if (value != null && !value.isBlank()) {
        values.put(key, value.strip());
      }
    });
    Map<String, Secret> webhookSecrets = new LinkedHashMap<>();
    secret(values, "GITHUB_WEBHOOK_SECRET").ifPresent(s -> webhookSecrets.put("github", s));
    secret(values, "GITLAB_WEBHOOK_TOKEN").ifPresent(s -> webhookSecrets.put("gitlab", s));
    secret(values, "BITBUCKET_WEBHOOK_SECRET").ifPresent(s -> webhookSecrets.put("bitbucket", s));
    Optional<Secret> jwtSecret = secret(values, "JWT_SECRET_KEY");
    jwtSecret.ifPresent(s -> {
      if (s.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new InvalidConfigurationException("JWT_SECRET_KEY must be at least 32 bytes for HS256");
      }
    });
    Optional<String> jwks = Optional.ofNullable(values.get("JWT_JWKS_URL"));
    jwks.ifPresent(url -> {
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw new InvalidConfigurationException("JWT_JWKS_URL must be an http(s) URL, was '" + url + "'");
      }
    });
    int maxWebhookBytes = integer(values, "WEBHOOK_MAX_BYTES", 25 * 1024 * 1024, 1_024, Integer.MAX_VALUE - 1);
    int inflight = integer(values, "WEBHOOK_INFLIGHT_BYTES", 64 * 1024 * 1024, 1_024, Integer.MAX_VALUE - 1);
    if (inflight < maxWebhookBytes) {
      throw new InvalidConfigurationException("WEBHOOK_INFLIGHT_BYTES (" + inflight + ") must be at least"
          + " WEBHOOK_MAX_BYTES (" + maxWebhookBytes + "), or the largest delivery could never be read");
    }
    Duration skew = values.containsKey("JWT_CLOCK_SKEW") && values.get("JWT_CLOCK_SKEW").equals("0") ? Duration.ZERO
        : duration(values, "JWT_CLOCK_SKEW", io.gitcollector.server.http.JwtAuthenticator.DEFAULT_CLOCK_SKEW);
    if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new InvalidConfigurationException("JWT_CLOCK_SKEW must be at most five minutes, was " + skew);
    }
    return new ServerConfig(
        integer(values, "PORT", 8080, 0, 65_535),
        jwtSecret,
        jwks,
        bool(values, "METRICS_PUBLIC", true),
        webhookSecrets,
        maxWebhookBytes,
        inflight,
        skew,
        duration(values, "SYNC_INTERVAL", Duration.ofHours(1)),
        duration(values, "FULL_SYNC_INTERVAL", Duration.ofDays(7)),
        duration(values, "SCHEDULER_TICK", Duration.ofSeconds(15)),
        integer(values, "COLLECTOR_WORKERS", 2, 1, 64),
        duration(values, "SHUTDOWN_GRACE", Duration.ofSeconds(30)),
        duration(values, "LEASE_TTL", Duration.ofSeconds(60)),
        Optional.ofNullable(values.get("INSTANCE_ID")).orElseGet(ServerConfig::defaultInstanceId),
        values);
  }

  /** Host name and process id: unique among instances, and readable in Redis when debugging. */
  private static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "host";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  private static Optional<Secret> secret(Map<String, String> values, String key) {
    return Optional.ofNullable(values.get(key)).map(Secret::of);
  }

  private static int integer(Map<String, String> values, String key, int defaultValue, int min, int max) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new InvalidConfigurationException(key + " must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationException(key + " must be a whole number, was '" + value + "'");
    }
  }

  private static boolean bool(Map<String, String> values, String key, boolean defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new InvalidConfigurationException(key + " must be true or false, was '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /** ISO-8601 durations ({@code PT1H}, {@code P7D}) or a number of seconds. */
  private static Duration duration(Map<String, String> values, String key, Duration defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      Duration parsed = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
      if (parsed.isNegative() || parsed.isZero()) {
        throw new InvalidConfigurationException(key + " must be positive, was '" + value + "'");
      }
      return parsed;
    } catch (DateTimeParseException e) {
      throw new InvalidConfigurationException(key + " must be an ISO-8601 duration such as PT1H or P7D, or seconds,"
          + " was '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "ServerConfig[port=" + port + ", auth=" + (jwtSecret.isPresent() ? "HS256" : jwksUrl.map(u -> "JWKS "
        + u).orElse("none")) + ", webhooks=" + webhookSecrets.keySet() + ", syncInterval=" + syncInterval
        + ", fullSyncInterval=" + fullSyncInterval + ", workers=" + workers + ", instance=" + instanceId + "]";
  }
}
