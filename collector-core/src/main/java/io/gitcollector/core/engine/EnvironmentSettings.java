package io.gitcollector.core.engine;

import io.gitcollector.core.engine.SettingsCatalog.Component;
import io.gitcollector.core.engine.internal.ServiceRegistry;
import io.gitcollector.core.jsonl.JsonLinesSinkProvider;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.coordination.CoordinatorProvider;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.SinkProvider;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The collector configured from environment variables (or the same keys from a file), so that the command line, the
 * server and an embedder select platforms, sink and state store from configuration alone. Every variable comes from a
 * declaration ({@link SettingsCatalog}): this class knows the collector's own settings and nothing of Kafka's, Redis's
 * or any adapter's.
 *
 * <ul>
 *   <li>every platform adapter on the class path: {@code <PLATFORM>_TOKEN}, {@code <PLATFORM>_API_URL}, its own
 *       settings ({@code GITHUB_READ_TIMEOUT_SECONDS}, …);
 *   <li>the sink: {@code COLLECTOR_SINK=<id>} (default {@code jsonl}), or a setting that selects one on its own
 *       ({@code KAFKA_BROKERS}); its settings are {@code <ID>_<NAME>};
 *   <li>the state store: {@code COLLECTOR_STATE=<id>} (default {@code file}), or a selecting setting
 *       ({@code REDIS_URL}); a coordinator of the same id shares work between instances.
 * </ul>
 *
 * <p>A malformed value stops with a message that names the variable and never its secret value.
 */
public final class EnvironmentSettings {
  public static final Setting DATA_DIR = JsonLinesSinkProvider.DATA_DIR;
  public static final Setting SINK = Setting.text("sink").environment("COLLECTOR_SINK")
      .doc("the sink's id: jsonl, kafka, postgres, or a plugin's; default jsonl, or the sink a setting of its own"
          + " selects (KAFKA_BROKERS)");
  public static final Setting STATE = Setting.text("state").environment("COLLECTOR_STATE")
      .doc("the state store's id: file, redis, postgres, or a plugin's; default file, or the store a setting of its"
          + " own selects (REDIS_URL)");
  public static final Setting PIPELINE_DEPTH = Setting.integer("pipeline_depth", 1, 64)
      .environment("COLLECTOR_PIPELINE_DEPTH").withDefault(1)
      .doc("pages of a stream handed to the sink and not yet acknowledged");
  public static final Setting MAX_RATE_LIMIT_WAIT = Setting.duration("max_rate_limit_wait")
      .environment("COLLECTOR_MAX_RATE_LIMIT_WAIT").withDefault(3600)
      .doc("longest wait for a rate limit before the run stops (exit code 9); seconds or ISO-8601");

  public static final Setting KINDS = Setting.text("kinds").environment("COLLECTOR_KINDS")
      .doc("the kinds to collect, comma separated by stream name (commits,pull_requests,issues,…) or all; default"
          + " every kind the platform serves");

  /** The collector's own settings. */
  public static final List<Setting> SETTINGS = List.of(DATA_DIR, SINK, STATE, PIPELINE_DEPTH, MAX_RATE_LIMIT_WAIT,
      KINDS);

  private static final String DEFAULT_SINK = "jsonl";
  private static final String DEFAULT_STATE = "file";

  private final Map<String, String> variables;
  private final Map<ClassLoader, SettingsCatalog> catalogs = new java.util.concurrent.ConcurrentHashMap<>();

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

  /** Every declared setting of every component {@code loader} finds. */
  public SettingsCatalog catalog(ClassLoader loader) {
    return catalogs.computeIfAbsent(loader, SettingsCatalog::discover);
  }

  /** Checks every variable against its declaration; the first malformed one stops with a message naming it. */
  public EnvironmentSettings check(ClassLoader loader) {
    catalog(loader).check(variables);
    return this;
  }

  private Map<String, String> collector() {
    return SettingsCatalog.values(new Component("collector", "collector", "COLLECTOR_", SETTINGS), variables);
  }

  public Path dataDirectory() {
    return Path.of(DATA_DIR.requiredIn(collector()));
  }

  /** Applies every setting to a builder; the builder's class loader finds the providers. */
  public GitCollector.Builder applyTo(GitCollector.Builder builder, ClassLoader loader) {
    return applyTo(builder, loader, UnaryOperator.identity());
  }

  /** The same, with the configured state store wrapped by {@code decorate} (the server fences it by leases). */
  public GitCollector.Builder applyTo(GitCollector.Builder builder, ClassLoader loader,
      UnaryOperator<StateStore> decorate) {
    SettingsCatalog catalog = check(loader).catalog(loader);
    Map<String, String> own = collector();
    builder.classLoader(loader);
    builder.dataDirectory(dataDirectory());
    builder.pipelineDepth(PIPELINE_DEPTH.intIn(own));
    builder.maxRateLimitWait(MAX_RATE_LIMIT_WAIT.durationIn(own));
    kinds(loader).ifPresent(builder::kinds);
    for (PlatformProvider provider : ServiceRegistry.load("platform", PlatformProvider.class, loader,
        PlatformProvider::id).all()) {
      platformConfig(catalog, provider.id()).ifPresent(config -> builder.platform(provider.id(), config));
    }
    String sinkId = selected(catalog, "sink", SINK, DEFAULT_SINK);
    if (!sinkId.equals(DEFAULT_SINK)) {
      SinkProvider provider = ServiceRegistry.load("sink", SinkProvider.class, loader, SinkProvider::id)
          .find(sinkId).orElseThrow();
      builder.sink(provider.create(componentConfig(catalog, "sink", sinkId)));
    }
    stateStore(loader).map(decorate).ifPresent(builder::stateStore);
    return builder;
  }

  /**
   * The kinds {@code COLLECTOR_KINDS} selects, if set. The adapters {@code loader} finds are asked for their kinds
   * first, so that kinds a plugin declares can be named.
   */
  public Optional<java.util.Set<io.gitcollector.core.model.EntityKind>> kinds(ClassLoader loader) {
    catalog(loader);
    String variable = KINDS.environmentName().orElseThrow();
    return value(variable).map(names -> io.gitcollector.core.model.EntityKind.parse(names, variable));
  }

  /** The state store the settings select, unless it is the file default (which the builder creates). */
  public Optional<StateStore> stateStore(ClassLoader loader) {
    SettingsCatalog catalog = catalog(loader);
    String stateId = selected(catalog, "state store", STATE, DEFAULT_STATE);
    if (stateId.equals(DEFAULT_STATE)) {
      return Optional.empty();
    }
    return Optional.of(ServiceRegistry.load("state store", StateStoreProvider.class, loader, StateStoreProvider::id)
        .find(stateId).orElseThrow().create(componentConfig(catalog, "state store", stateId)));
  }

  /**
   * The coordinator of several instances: the one with the id of the selected state store, if there is one (Redis
   * keeps both the state and the job queue).
   */
  public Optional<Coordinator> coordinator(ClassLoader loader, String instanceId, Duration leaseTtl) {
    SettingsCatalog catalog = catalog(loader);
    String stateId = selected(catalog, "state store", STATE, DEFAULT_STATE);
    Optional<CoordinatorProvider> provider = ServiceRegistry.load("coordinator", CoordinatorProvider.class, loader,
        CoordinatorProvider::id).find(stateId);
    if (provider.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> settings = new LinkedHashMap<>(componentConfig(catalog, "coordinator", stateId).values());
    settings.put("lease_ttl_ms", Long.toString(leaseTtl.toMillis()));
    return Optional.of(provider.get().create(ComponentConfig.of(settings), instanceId));
  }

  /** The configuration of one platform from its variables, if any is set. */
  public Optional<PlatformConfig> platformConfig(String platformId) {
    return platformConfig(EnvironmentSettings.class.getClassLoader(), platformId);
  }

  /** The same, with the adapters {@code loader} finds. */
  public Optional<PlatformConfig> platformConfig(ClassLoader loader, String platformId) {
    return platformConfig(catalog(loader), platformId);
  }

  private Optional<PlatformConfig> platformConfig(SettingsCatalog catalog, String platformId) {
    Optional<Component> component = catalog.component("platform", platformId);
    if (component.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> values = SettingsCatalog.values(component.get(), variables);
    values.remove("webhook_secret");
    if (values.isEmpty()) {
      return Optional.empty();
    }
    PlatformConfig.Builder config = PlatformConfig.builder();
    Optional.ofNullable(values.remove("token")).ifPresent(token -> config.token(Secret.of(token)));
    Optional.ofNullable(values.remove("api_url")).ifPresent(config::apiBaseUrl);
    values.forEach(config::setting);
    return Optional.of(config.build());
  }

  /** The webhook secret of every platform that has one configured, by platform id. */
  public Map<String, Secret> webhookSecrets(ClassLoader loader) {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (Component component : catalog(loader).components()) {
      if (component.role().equals("platform")) {
        Optional.ofNullable(SettingsCatalog.values(component, variables).get("webhook_secret"))
            .ifPresent(secret -> secrets.put(component.id(), Secret.of(secret)));
      }
    }
    return secrets;
  }

  private ComponentConfig componentConfig(SettingsCatalog catalog, String role, String id) {
    return ComponentConfig.of(catalog.component(role, id).map(c -> SettingsCatalog.values(c, variables))
        .orElse(Map.of()));
  }

  /**
   * The id of the {@code role} component: named by {@code choice}, else the one a selecting setting of its own picks,
   * else {@code fallback}. Naming one that is not installed, or setting the selectors of two, stops with a message.
   */
  private String selected(SettingsCatalog catalog, String role, Setting choice, String fallback) {
    List<String> installed = catalog.components().stream().filter(c -> c.role().equals(role)).map(Component::id)
        .toList();
    String variable = choice.environmentName().orElseThrow();
    Optional<String> named = value(variable).map(v -> choice.check(v, variable));
    if (named.isPresent()) {
      if (!installed.contains(named.get())) {
        throw new InvalidConfigurationException(variable + " names the " + role + " '" + named.get() + "', which is"
            + " not on the class path; installed: " + installed);
      }
      return named.get();
    }
    List<String> selecting = catalog.components().stream().filter(c -> c.role().equals(role))
        .filter(c -> c.settings().stream().anyMatch(s -> s.selects()
            && value(s.environmentVariable(c.prefix())).isPresent()))
        .map(Component::id).toList();
    if (selecting.size() > 1) {
      throw new InvalidConfigurationException("settings of several " + role + "s are set " + selecting + "; choose"
          + " one with " + variable);
    }
    return selecting.isEmpty() ? fallback : selecting.get(0);
  }
}
