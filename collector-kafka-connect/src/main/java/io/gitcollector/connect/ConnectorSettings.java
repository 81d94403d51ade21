package io.gitcollector.connect;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SettingsCatalog;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.kafka.KafkaSinkConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The connector's configuration, declared with Connect's {@link ConfigDef} and derived from the collector's own
 * declarations, so that nothing is declared twice:
 *
 * <ul>
 *   <li>each platform adapter on the plugin path: its settings as {@code <platform id>.<name with dots>}
 *       ({@code github.api.url}, {@code gitlab.token}, a {@code PASSWORD}), read as the environment variable they
 *       stand for ({@code GITHUB_API_URL}, {@code GITLAB_TOKEN}); webhook secrets are not read (Connect receives no
 *       webhooks);
 *   <li>the topics: the Kafka sink's settings of the same names and defaults ({@code topic.commits},
 *       {@code topic.dlq}, …);
 *   <li>the collector's {@code kinds}, {@code pipeline.depth} and {@code max.rate.limit.wait};
 *   <li>the connector's own: {@code repositories}, {@code poll.interval.ms}, {@code full.sync.interval.ms}, … below.
 * </ul>
 */
final class ConnectorSettings {
  static final String REPOSITORIES = "repositories";
  static final String POLL_INTERVAL_MS = "poll.interval.ms";
  static final String FULL_SYNC_INTERVAL_MS = "full.sync.interval.ms";
  static final String PARALLEL_REPOSITORIES = "repositories.parallel";
  static final String MAX_RECORD_BYTES = "max.record.bytes";
  static final String VALUE_SCHEMA = "value.schema";
  /** Set by the connector in each task's configuration: how many tasks share the connector's tokens. */
  static final String TASK_COUNT = "task.count";

  private static final String GROUP_CONNECTOR = "Repositories";
  private static final String GROUP_PLATFORMS = "Platforms";
  private static final String GROUP_TOPICS = "Topics";
  private static final String GROUP_COLLECTOR = "Collection";

  /** The collector's settings the connector reads; the rest (data directory, sink, state store) do not apply. */
  private static final List<Setting> COLLECTOR_SETTINGS = List.of(EnvironmentSettings.KINDS,
      EnvironmentSettings.PIPELINE_DEPTH, EnvironmentSettings.MAX_RATE_LIMIT_WAIT);

  private final AbstractConfig parsed;
  private final Map<String, String> original;

  ConnectorSettings(Map<String, String> props) {
    this.original = Map.copyOf(props);
    this.parsed = new AbstractConfig(definition(), props);
  }

  /** Every setting, for Connect's validation, the REST API and the README. */
  static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    int order = 0;
    def.define(REPOSITORIES, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
        "the repositories to collect: web URLs (https://github.com/owner/name, a GitLab group path, a Bitbucket"
            + " workspace/slug), comma separated; each is served by the platform adapter that accepts its host",
        GROUP_CONNECTOR, ++order, ConfigDef.Width.LONG, "Repositories");
    def.define(POLL_INTERVAL_MS, ConfigDef.Type.LONG, 300_000L, ConfigDef.Range.atLeast(1_000),
        ConfigDef.Importance.HIGH, "how often each repository is collected incrementally (from its stored offsets)",
        GROUP_CONNECTOR, ++order, ConfigDef.Width.SHORT, "Poll interval");
    def.define(FULL_SYNC_INTERVAL_MS, ConfigDef.Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(0),
        ConfigDef.Importance.MEDIUM, "how often each repository is collected fully, so that edits an incremental"
            + " pass cannot see are delivered again (0: never); counted from when the task started",
        GROUP_CONNECTOR, ++order, ConfigDef.Width.SHORT, "Full-sync interval");
    def.define(PARALLEL_REPOSITORIES, ConfigDef.Type.INT, 2, ConfigDef.Range.between(1, 32),
        ConfigDef.Importance.LOW, "repositories a task collects at the same time",
        GROUP_CONNECTOR, ++order, ConfigDef.Width.SHORT, "Parallel repositories");
    def.define(MAX_RECORD_BYTES, ConfigDef.Type.INT, 1_047_552, ConfigDef.Range.atLeast(1_024),
        ConfigDef.Importance.LOW, "an envelope larger than this goes to the dead-letter topic (what it takes to fetch"
            + " it again, without its data) instead of failing the task; keep it under the worker producer's"
            + " max.request.size (default 1 MiB)", GROUP_CONNECTOR, ++order, ConfigDef.Width.SHORT,
        "Largest record");
    def.define(VALUE_SCHEMA, ConfigDef.Type.STRING, "string", ConfigDef.ValidString.in("string", "bytes"),
        ConfigDef.Importance.MEDIUM, "the value's Connect schema: string (the envelope JSON as text; use"
            + " value.converter=org.apache.kafka.connect.storage.StringConverter) or bytes (its UTF-8 bytes; use"
            + " org.apache.kafka.connect.converters.ByteArrayConverter)", GROUP_CONNECTOR, ++order,
        ConfigDef.Width.SHORT, "Value schema");
    order = 0;
    for (Setting setting : COLLECTOR_SETTINGS) {
      define(def, setting.name().replace('_', '.'), setting, GROUP_COLLECTOR, ++order);
    }
    order = 0;
    for (Setting setting : KafkaSinkConfig.routingSettings()) {
      define(def, setting.name(), setting, GROUP_TOPICS, ++order, KafkaSinkConfig::checkTopicName);
    }
    order = 0;
    for (SettingsCatalog.Component platform : platforms()) {
      for (Setting setting : platform.settings()) {
        if (!setting.name().equals("webhook_secret") && setting.kind() != Setting.Kind.GROUP) {
          define(def, keyOf(platform, setting), setting, GROUP_PLATFORMS, ++order);
        }
      }
    }
    return def;
  }

  /**
   * Connect's key of a platform's setting: the platform's id and the setting's name with dots ({@code github.api.url},
   * {@code gitlab.token}), the same for every platform whatever its environment variable is called.
   */
  static String keyOf(SettingsCatalog.Component platform, Setting setting) {
    return platform.id() + "." + setting.name().replace('_', '.');
  }

  private static List<SettingsCatalog.Component> platforms() {
    return SettingsCatalog.discover(ConnectorSettings.class.getClassLoader()).components().stream()
        .filter(component -> component.role().equals("platform")).toList();
  }

  /** One collector setting as a Connect setting: its type, default, check and documentation. */
  private static void define(ConfigDef def, String key, Setting setting, String group, int order) {
    define(def, key, setting, group, order, value -> value);
  }

  /** The same, with a further check of the value ({@code also} throws a {@link CollectorException} naming it). */
  private static void define(ConfigDef def, String key, Setting setting, String group, int order,
      java.util.function.UnaryOperator<String> also) {
    ConfigDef.Type type = setting.secret() ? ConfigDef.Type.PASSWORD : switch (setting.kind()) {
      case BOOLEAN -> ConfigDef.Type.BOOLEAN;
      case INTEGER -> ConfigDef.Type.LONG;
      default -> ConfigDef.Type.STRING;
    };
    Object defaultValue = setting.defaultValue().map(value -> (Object) switch (type) {
      case BOOLEAN -> Boolean.valueOf(value);
      case LONG -> Long.valueOf(value);
      default -> value;
    }).orElse(null);
    ConfigDef.Validator validator = (name, value) -> {
      if (value == null) {
        return;
      }
      String text = value instanceof org.apache.kafka.common.config.types.Password password ? password.value()
          : String.valueOf(value);
      try {
        also.apply(setting.check(text, name));
      } catch (CollectorException e) {
        // a secret's value is never repeated
        throw new ConfigException(name, setting.secret() ? "[hidden]" : text, e.getMessage());
      }
    };
    String doc = setting.documentation() + (setting.choices().isEmpty() ? ""
        : " (one of " + String.join(", ", setting.choices()) + ")");
    def.define(key, type, defaultValue, validator, setting.secret() ? ConfigDef.Importance.HIGH
        : ConfigDef.Importance.MEDIUM, doc, group, order, ConfigDef.Width.MEDIUM, key);
  }

  List<String> repositories() {
    return parsed.getList(REPOSITORIES).stream().map(String::strip).filter(url -> !url.isEmpty()).distinct()
        .toList();
  }

  Duration pollInterval() {
    return Duration.ofMillis(parsed.getLong(POLL_INTERVAL_MS));
  }

  /** Empty: never. */
  Optional<Duration> fullSyncInterval() {
    long millis = parsed.getLong(FULL_SYNC_INTERVAL_MS);
    return millis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }

  int parallelRepositories() {
    return parsed.getInt(PARALLEL_REPOSITORIES);
  }

  int maxRecordBytes() {
    return parsed.getInt(MAX_RECORD_BYTES);
  }

  boolean valueAsBytes() {
    return parsed.getString(VALUE_SCHEMA).equals("bytes");
  }

  Map<EntityKind, String> topics() {
    return KafkaSinkConfig.topics(routing());
  }

  String deadLetterTopic() {
    return KafkaSinkConfig.deadLetterTopic(routing());
  }

  private ComponentConfig routing() {
    Map<String, String> values = new LinkedHashMap<>();
    for (Setting setting : KafkaSinkConfig.routingSettings()) {
      values.put(setting.name(), parsed.getString(setting.name()));
    }
    return ComponentConfig.of(values);
  }

  /**
   * The collector's settings as environment variables ({@code github.api.url} is {@code GITHUB_API_URL},
   * {@code kinds} is {@code COLLECTOR_KINDS}), so that the engine is configured the way the server and the command
   * line configure it.
   */
  EnvironmentSettings environment() {
    Map<String, String> variables = new LinkedHashMap<>();
    for (SettingsCatalog.Component platform : platforms()) {
      for (Setting setting : platform.settings()) {
        String variable = setting.environmentVariable(platform.prefix());
        Optional.ofNullable(original.get(keyOf(platform, setting))).ifPresent(value -> variables.put(variable, value));
      }
    }
    for (Setting setting : COLLECTOR_SETTINGS) {
      Optional.ofNullable(original.get(setting.name().replace('_', '.')))
          .ifPresent(value -> variables.put(setting.environmentName().orElseThrow(), value));
    }
    return EnvironmentSettings.of(variables);
  }

  /** A builder with the platforms, kinds, pipeline depth and rate-limit wait of this configuration. */
  GitCollector.Builder collectorBuilder() {
    ClassLoader loader = ConnectorSettings.class.getClassLoader();
    return environment().applyTo(GitCollector.builder(), loader);
  }

  Optional<Set<EntityKind>> kinds() {
    return environment().kinds(ConnectorSettings.class.getClassLoader());
  }
}
