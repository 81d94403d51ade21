package io.gitcollector.server.config;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.SettingsCatalog;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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

  public static final Setting PORT = Setting.integer("port", 0, 65_535).environment("PORT").withDefault(8080)
      .doc("HTTP port of the server");
  public static final Setting JWT_SECRET_KEY = Setting.secret("jwt_secret_key").environment("JWT_SECRET_KEY")
      .doc("HS256 key of the API's bearer tokens, at least 32 bytes");
  public static final Setting JWT_JWKS_URL = Setting.url("jwt_jwks_url").environment("JWT_JWKS_URL")
      .doc("JWKS URL of the issuer of the API's bearer tokens (instead of JWT_SECRET_KEY)");
  public static final Setting JWT_CLOCK_SKEW = Setting.duration("jwt_clock_skew").allowingZero()
      .environment("JWT_CLOCK_SKEW").withDefault("PT5S").doc("clock skew tolerated on exp and nbf, at most PT5M");
  public static final Setting METRICS_PUBLIC = Setting.bool("metrics_public").environment("METRICS_PUBLIC")
      .withDefault(true).doc("whether /metrics answers without a token");
  public static final Setting WEBHOOK_MAX_BYTES = Setting.integer("webhook_max_bytes", 1_024, Integer.MAX_VALUE - 1)
      .environment("WEBHOOK_MAX_BYTES").withDefault(25 * 1024 * 1024).doc("largest webhook delivery accepted");
  public static final Setting WEBHOOK_INFLIGHT_BYTES = Setting.integer("webhook_inflight_bytes", 1_024,
      Integer.MAX_VALUE - 1).environment("WEBHOOK_INFLIGHT_BYTES").withDefault(64 * 1024 * 1024)
      .doc("bytes of webhook bodies being read at once; more waits (503), at least WEBHOOK_MAX_BYTES");
  public static final Setting SYNC_INTERVAL = Setting.duration("sync_interval").environment("SYNC_INTERVAL")
      .withDefault("PT1H").doc("how often subscribed repositories are synced incrementally");
  public static final Setting FULL_SYNC_INTERVAL = Setting.duration("full_sync_interval")
      .environment("FULL_SYNC_INTERVAL").withDefault("P7D").doc("how often they get a full sync");
  public static final Setting SCHEDULER_TICK = Setting.duration("scheduler_tick").environment("SCHEDULER_TICK")
      .withDefault("PT15S").doc("how often the scheduler looks for due subscriptions");
  public static final Setting WORKERS = Setting.integer("workers", 1, 64).environment("COLLECTOR_WORKERS")
      .withDefault(2).doc("collections run at once by this instance");
  public static final Setting SHUTDOWN_GRACE = Setting.duration("shutdown_grace").environment("SHUTDOWN_GRACE")
      .withDefault("PT30S").doc("how long running collections may take to reach a page boundary on SIGTERM");
  public static final Setting LEASE_TTL = Setting.duration("lease_ttl").environment("LEASE_TTL")
      .withDefault("PT60S").doc("expiry of a repository's lease between instances (renewed while it runs)");
  public static final Setting INSTANCE_ID = Setting.text("instance_id").environment("INSTANCE_ID")
      .doc("this instance's name among several; default host name and process id");
  public static final Setting LOG_LEVEL = Setting.choice("log_level", "trace", "debug", "info", "warn", "error",
      "off").environment("LOG_LEVEL").withDefault("warn").doc("log level");

  /** The server's settings, declared once. */
  public static final SettingsCatalog.Component COMPONENT = new SettingsCatalog.Component("server", "server", "",
      List.of(PORT, JWT_SECRET_KEY, JWT_JWKS_URL, JWT_CLOCK_SKEW, METRICS_PUBLIC, WEBHOOK_MAX_BYTES,
          WEBHOOK_INFLIGHT_BYTES, SYNC_INTERVAL, FULL_SYNC_INTERVAL, SCHEDULER_TICK, WORKERS, SHUTDOWN_GRACE,
          LEASE_TTL, INSTANCE_ID, LOG_LEVEL));

  public ServerConfig {
    webhookSecrets = Map.copyOf(webhookSecrets);
    collectorSettings = Map.copyOf(collectorSettings);
  }

  /** Every setting the server and the components on its class path declare. */
  public static SettingsCatalog catalog(ClassLoader loader) {
    return SettingsCatalog.discover(loader).with(COMPONENT);
  }

  /** Reads and checks the configuration with the providers of this class's loader. */
  public static ServerConfig load(Map<String, String> environment, Optional<Path> file) {
    return load(environment, file, ServerConfig.class.getClassLoader());
  }

  /**
   * Reads and checks the configuration: every key of {@code file} must be declared by the server or a component on
   * the class path; every value is checked against its declaration; the environment wins over the file.
   */
  public static ServerConfig load(Map<String, String> environment, Optional<Path> file, ClassLoader loader) {
    SettingsCatalog catalog = catalog(loader);
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
        if (!catalog.declares(key)) {
          unknown.add(key);
        }
        values.put(key, properties.getProperty(key).strip());
      }
      if (!unknown.isEmpty()) {
        throw new InvalidConfigurationException("unknown key " + unknown + " in " + file.get() + "; known keys: "
            + catalog.variables());
      }
    }
    environment.forEach((key, value) -> {
      if (value != null && !value.isBlank()) {
        values.put(key, value.strip());
      }
    });
    catalog.check(values);
    catalog.refuseUnknownCollectorVariables(values);
    Map<String, String> own = SettingsCatalog.values(COMPONENT, values);
    Optional<Secret> jwtSecret = JWT_SECRET_KEY.valueIn(own).map(Secret::of);
    jwtSecret.ifPresent(s -> {
      if (s.reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new InvalidConfigurationException("JWT_SECRET_KEY must be at least 32 bytes for HS256");
      }
    });
    int maxWebhookBytes = WEBHOOK_MAX_BYTES.intIn(own);
    int inflight = WEBHOOK_INFLIGHT_BYTES.intIn(own);
    if (inflight < maxWebhookBytes) {
      throw new InvalidConfigurationException("WEBHOOK_INFLIGHT_BYTES (" + inflight + ") must be at least"
          + " WEBHOOK_MAX_BYTES (" + maxWebhookBytes + "), or the largest delivery could never be read");
    }
    Duration skew = JWT_CLOCK_SKEW.durationIn(own);
    if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new InvalidConfigurationException("JWT_CLOCK_SKEW must be at most five minutes, was " + skew);
    }
    return new ServerConfig(
        PORT.intIn(own),
        jwtSecret,
        JWT_JWKS_URL.valueIn(own),
        METRICS_PUBLIC.booleanIn(own),
        EnvironmentSettings.of(values).webhookSecrets(loader),
        maxWebhookBytes,
        inflight,
        skew,
        SYNC_INTERVAL.durationIn(own),
        FULL_SYNC_INTERVAL.durationIn(own),
        SCHEDULER_TICK.durationIn(own),
        WORKERS.intIn(own),
        SHUTDOWN_GRACE.durationIn(own),
        LEASE_TTL.durationIn(own),
        INSTANCE_ID.valueIn(own).orElseGet(ServerConfig::defaultInstanceId),
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

  @Override
  public String toString() {
    return "ServerConfig[port=" + port + ", auth=" + (jwtSecret.isPresent() ? "HS256" : jwksUrl.map(u -> "JWKS "
        + u).orElse("none")) + ", webhooks=" + webhookSecrets.keySet() + ", syncInterval=" + syncInterval
        + ", fullSyncInterval=" + fullSyncInterval + ", workers=" + workers + ", instance=" + instanceId + "]";
  }
}
