package io.gitcollector.core.engine;

import io.gitcollector.core.engine.internal.ServiceRegistry;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import io.gitcollector.core.spi.Coordinator;
import io.gitcollector.core.spi.CoordinatorProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The collector configured from environment variables (or the same keys from a file), so that the command line, the
 * server and an embedder select platforms, sink and state store from configuration alone:
 *
 * <ul>
 *   <li>{@code <PLATFORM>_TOKEN}, {@code <PLATFORM>_API_URL} (or {@code <PLATFORM>_URL}) for every platform adapter
 *       on the class path: {@code GITHUB_TOKEN}, {@code GITHUB_API_URL}, {@code GITLAB_URL}, …;
 *   <li>{@code KAFKA_BROKERS}: the Kafka sink, with {@code KAFKA_*} settings ({@code KAFKA_TOPIC_COMMITS},
 *       {@code KAFKA_CREATE_TOPICS}, {@code KAFKA_PRODUCER_SASL_MECHANISM} → {@code producer.sasl.mechanism}, …);
 *   <li>{@code REDIS_URL}: the Redis state store;
 *   <li>otherwise the embedded defaults under {@code COLLECTOR_DATA_DIR} (default {@code ./collector-data}).
 * </ul>
 *
 * <p>A malformed value stops with a message that names the variable and never its secret value.
 */
public final class EnvironmentSettings {
  private final Map<String, String> variables;

  private EnvironmentSettings(Map<String, String> variables) {
    Map<String, String> copy = new LinkedHashMap<>();
    variables.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        copy.put(k, v.strip());
      }
    });
    this.variables = Map.copyOf(copy);
  }

  public static EnvironmentSettings of(Map<String, String> variables) {
    return new EnvironmentSettings(variables);
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  public Path dataDirectory() {
    return value("COLLECTOR_DATA_DIR").map(Path::of).orElse(Path.of("collector-data"));
  }

  /** Applies every setting to a builder; the builder's class loader finds the providers. */
  public GitCollector.Builder applyTo(GitCollector.Builder builder, ClassLoader loader) {
    return applyTo(builder, loader, java.util.function.UnaryOperator.identity());
  }

  /** The same, with the configured state store wrapped by {@code decorate} (the server fences it by leases). */
  public GitCollector.Builder applyTo(GitCollector.Builder builder, ClassLoader loader,
      java.util.function.UnaryOperator<StateStore> decorate) {
    builder.dataDirectory(dataDirectory());
    value("COLLECTOR_PIPELINE_DEPTH").ifPresent(depth -> {
      try {
        builder.pipelineDepth(Integer.parseInt(depth));
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException("COLLECTOR_PIPELINE_DEPTH must be a whole number, was '" + depth
            + "'");
      }
    });
    value("COLLECTOR_MAX_RATE_LIMIT_WAIT").ifPresent(seconds -> {
      try {
        builder.maxRateLimitWait(java.time.Duration.ofSeconds(Long.parseLong(seconds)));
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException("COLLECTOR_MAX_RATE_LIMIT_WAIT must be a whole number of seconds,"
            + " was '" + seconds + "'");
      }
    });
    ServiceRegistry<PlatformProvider> platforms =
        ServiceRegistry.load("platform", PlatformProvider.class, loader, PlatformProvider::id);
    for (PlatformProvider provider : platforms.all()) {
      platformConfig(provider.id()).ifPresent(config -> builder.platform(provider.id(), config));
    }
    if (value("KAFKA_BROKERS").isPresent()) {
      builder.sink(ServiceRegistry.load("sink", SinkProvider.class, loader, SinkProvider::id).find("kafka")
          .orElseThrow(() -> new InvalidConfigurationException("KAFKA_BROKERS is set but the Kafka sink"
              + " (collector-kafka-sink) is not on the class path"))
          .create(ComponentConfig.of(prefixed("KAFKA_", Map.of("BROKERS", "bootstrap_servers")))));
    }
    stateStore(loader).map(decorate).ifPresent(builder::stateStore);
    return builder;
  }

  /** The state store {@code REDIS_URL} selects, if it is set; otherwise the builder's file default applies. */
  public Optional<StateStore> stateStore(ClassLoader loader) {
    if (value("REDIS_URL").isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ServiceRegistry.load("state store", StateStoreProvider.class, loader, StateStoreProvider::id)
        .find("redis")
        .orElseThrow(() -> new InvalidConfigurationException("REDIS_URL is set but the Redis state store"
            + " (collector-redis) is not on the class path"))
        .create(ComponentConfig.of(redisSettings())));
  }

  /** The coordinator of several instances {@code REDIS_URL} selects, if it is set. */
  public Optional<Coordinator> coordinator(ClassLoader loader, String instanceId, java.time.Duration leaseTtl) {
    if (value("REDIS_URL").isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> settings = new LinkedHashMap<>(redisSettings());
    settings.put("lease_ttl_ms", Long.toString(leaseTtl.toMillis()));
    return Optional.of(ServiceRegistry.load("coordinator", CoordinatorProvider.class, loader,
            CoordinatorProvider::id).find("redis")
        .orElseThrow(() -> new InvalidConfigurationException("REDIS_URL is set but collector-redis is not on the"
            + " class path"))
        .create(ComponentConfig.of(settings), instanceId));
  }

  private Map<String, String> redisSettings() {
    return prefixed("REDIS_", Map.of("URL", "url"));
  }

  /** The token and API URL of one platform, if either is set. */
  public Optional<PlatformConfig> platformConfig(String platformId) {
    String prefix = platformId.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    Optional<String> token = value(prefix + "TOKEN");
    String urlKey = value(prefix + "API_URL").isPresent() ? prefix + "API_URL" : prefix + "URL";
    Optional<String> url = value(urlKey);
    if (token.isEmpty() && url.isEmpty()
        && variables.keySet().stream().noneMatch(key -> key.startsWith(prefix + "SETTING_"))) {
      return Optional.empty();
    }
    PlatformConfig.Builder config = PlatformConfig.builder();
    token.ifPresent(t -> {
      if (t.chars().anyMatch(Character::isWhitespace)) {
        throw new InvalidConfigurationException(prefix + "TOKEN contains white space; it is not a valid token");
      }
      config.token(Secret.of(t));
    });
    url.ifPresent(u -> config.apiBaseUrl(httpUrl(urlKey, u)));
    // adapter settings: GITHUB_SETTING_READ_TIMEOUT_SECONDS → read_timeout_seconds
    variables.forEach((key, value) -> {
      if (key.startsWith(prefix + "SETTING_")) {
        config.setting(key.substring((prefix + "SETTING_").length()).toLowerCase(Locale.ROOT), value);
      }
    });
    return Optional.of(config.build());
  }

  /**
   * {@code KAFKA_TOPIC_COMMITS} → {@code topic.commits}, {@code KAFKA_PRODUCER_CLIENT_ID} →
   * {@code producer.client.id}, {@code KAFKA_TOPIC_CONFIG_RETENTION_MS} → {@code topic_config.retention.ms},
   * {@code KAFKA_CREATE_TOPICS} → {@code create_topics}.
   */
  private Map<String, String> prefixed(String prefix, Map<String, String> renames) {
    Map<String, String> settings = new LinkedHashMap<>();
    variables.forEach((key, value) -> {
      if (!key.startsWith(prefix)) {
        return;
      }
      String rest = key.substring(prefix.length());
      String name;
      if (renames.containsKey(rest)) {
        name = renames.get(rest);
      } else if (rest.startsWith("PRODUCER_")) {
        name = "producer." + rest.substring("PRODUCER_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
      } else if (rest.startsWith("TOPIC_CONFIG_")) {
        name = "topic_config." + rest.substring("TOPIC_CONFIG_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
      } else if (rest.startsWith("TOPIC_")) {
        name = "topic." + rest.substring("TOPIC_".length()).toLowerCase(Locale.ROOT);
      } else {
        name = rest.toLowerCase(Locale.ROOT);
      }
      settings.put(name, value);
    });
    return settings;
  }

  private static String httpUrl(String key, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new InvalidConfigurationException(key + " must be an http(s) URL with a host, was '" + value + "'");
      }
      return value;
    } catch (URISyntaxException e) {
      throw new InvalidConfigurationException(key + " is not a valid URL: " + e.getReason());
    }
  }
}
