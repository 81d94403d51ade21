package io.gitcollector.kafka;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the Kafka sink.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param topics the topic of each declared kind: its default topic unless a setting renames it (kinds that share a
 *     default topic share the setting: {@code KAFKA_TOPIC_REPOSITORIES} for repositories and contributors)
 * @param deadLetterTopic where an envelope goes that can never be written because of its own size, with what it
 *     takes to fetch it again
 * @param createTopics create missing topics at start-up instead of failing
 * @param partitions partitions of topics it creates
 * @param replicationFactor replication of topics it creates ({@code -1}: the broker's default)
 * @param deliveryTimeout how long a batch may wait for the broker before the sync fails
 * @param producerProperties any other producer setting (SASL, TLS, client id, …), passed through as they are
 * @param topicConfigs configs of the topics it creates: {@link #DEFAULT_TOPIC_CONFIGS} overlaid with the user's
 * @param retentionCheck what start-up does when an existing topic would delete or compact away what is written
 */
public record KafkaSinkConfig(
    String bootstrapServers,
    Map<EntityKind, String> topics,
    String deadLetterTopic,
    boolean createTopics,
    int partitions,
    short replicationFactor,
    Duration deliveryTimeout,
    Map<String, String> producerProperties,
    Map<String, String> topicConfigs,
    RetentionCheck retentionCheck) {

  public static final String DEFAULT_DLQ = "git.dlq";

  /**
   * Configs of every topic the sink creates. A collected history is a record of the past that consumers may need to
   * replay from the start, so it is kept ({@code retention.ms=-1}, {@code retention.bytes=-1}) and never compacted
   * (the record key is the repository, so compaction would keep one record per repository). Record times are the
   * broker's append time, so a producer's clock cannot make the broker refuse records (KIP-937 limits apply to
   * {@code CreateTime} only) nor make retention, if an operator sets one, count from anything but the write.
   */
  public static final Map<String, String> DEFAULT_TOPIC_CONFIGS = Map.of(
      "retention.ms", "-1",
      "retention.bytes", "-1",
      "cleanup.policy", "delete",
      "message.timestamp.type", "LogAppendTime");

  /** What start-up does with an existing topic that deletes or compacts what the sink writes. */
  public enum RetentionCheck {
    /** Logs a warning naming the topic and the config (the default: finite retention may be the operator's plan). */
    WARN,
    /** Refuses to start, naming the topic and the config. */
    REFUSE,
    /** Does not read topic configs (for principals without {@code DescribeConfigs}). */
    OFF
  }

  public KafkaSinkConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new InvalidConfigurationException("the Kafka sink needs bootstrap servers (KAFKA_BROKERS)");
    }
    topics = Map.copyOf(topics);
    java.util.List<String> names = new java.util.ArrayList<>(topics.values());
    names.add(deadLetterTopic);
    names.forEach(KafkaSinkConfig::checkTopicName);
    if (partitions < 1) {
      throw new InvalidConfigurationException("partitions must be at least 1, was " + partitions);
    }
    Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    producerProperties = Map.copyOf(producerProperties);
    Map<String, String> merged = new LinkedHashMap<>(DEFAULT_TOPIC_CONFIGS);
    merged.putAll(topicConfigs);
    topicConfigs = Map.copyOf(merged);
    Objects.requireNonNull(retentionCheck, "retentionCheck");
  }

  /** Refuses a name Kafka would refuse: up to 249 letters, digits, '.', '_' and '-'. */
  public static String checkTopicName(String topic) {
    if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new InvalidConfigurationException("'" + topic + "' is not a valid Kafka topic name (up to 249 letters,"
          + " digits, '.', '_' and '-')");
    }
    return topic;
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  static final Setting BROKERS = Setting.text("brokers").selecting()
      .doc("publish to Kafka: bootstrap servers, host:port[,host:port…]");
  static final Setting TOPIC_DLQ = Setting.text("topic.dlq").withDefault(DEFAULT_DLQ)
      .doc("dead-letter topic: envelopes too large to ever be written, with what it takes to refetch them");
  static final Setting CREATE_TOPICS = Setting.bool("create_topics").withDefault(false)
      .doc("create missing topics at start-up (with TOPIC_CONFIG_*) instead of failing");
  static final Setting PARTITIONS = Setting.integer("partitions", 1, 10_000).withDefault(6)
      .doc("partitions of the topics it creates");
  static final Setting REPLICATION_FACTOR = Setting.integer("replication_factor", -1, Short.MAX_VALUE)
      .withDefault(-1).doc("replication of the topics it creates (-1: the broker's default)");
  static final Setting DELIVERY_TIMEOUT_MS = Setting.integer("delivery_timeout_ms", 1_000, Integer.MAX_VALUE)
      .withDefault(120_000).doc("how long a batch may wait for the broker before the sync fails");
  static final Setting RETENTION_CHECK = Setting.choice("retention_check", "warn", "refuse", "off")
      .withDefault("warn").doc("what start-up does with an existing topic that deletes or compacts records");
  static final Setting PRODUCER = Setting.group("producer")
      .doc("any producer setting, passed through: KAFKA_PRODUCER_SASL_MECHANISM → sasl.mechanism");
  static final Setting TOPIC_CONFIG = Setting.group("topic_config")
      .doc("configs of the topics it creates, over retention.ms=-1, retention.bytes=-1, cleanup.policy=delete,"
          + " message.timestamp.type=LogAppendTime");

  /**
   * The sink's settings, declared once: {@code KAFKA_<NAME>} in the environment. One topic setting per default topic
   * of the kinds declared when it is called ({@link EntityKind#topicSetting()}), so a kind added to the collector or
   * declared by a plugin gets its {@code KAFKA_TOPIC_*} with nothing written here.
   */
  public static java.util.List<Setting> settings() {
    java.util.List<Setting> settings = new java.util.ArrayList<>();
    settings.add(BROKERS);
    settings.addAll(routingSettings());
    settings.addAll(java.util.List.of(CREATE_TOPICS, PARTITIONS, REPLICATION_FACTOR, DELIVERY_TIMEOUT_MS,
        RETENTION_CHECK, PRODUCER, TOPIC_CONFIG));
    return java.util.List.copyOf(settings);
  }

  /**
   * The settings that say where envelopes go: a topic per default topic of the declared kinds, and the dead-letter
   * topic. The Kafka Connect source connector declares the same, so both write to the same topics by the same names.
   */
  public static java.util.List<Setting> routingSettings() {
    java.util.List<Setting> settings = new java.util.ArrayList<>();
    topicSettings().values().stream().distinct().forEach(settings::add);
    settings.add(TOPIC_DLQ);
    return java.util.List.copyOf(settings);
  }

  /** The topic of every declared kind as {@link #routingSettings()} name them in {@code config}. */
  public static Map<EntityKind, String> topics(ComponentConfig config) {
    Map<EntityKind, String> topics = new LinkedHashMap<>();
    topicSettings().forEach((kind, setting) -> topics.put(kind, config.require(setting)));
    return topics;
  }

  /** The dead-letter topic as {@link #routingSettings()} name it in {@code config}. */
  public static String deadLetterTopic(ComponentConfig config) {
    return config.require(TOPIC_DLQ);
  }

  /** The topic setting of each declared kind. */
  private static Map<EntityKind, Setting> topicSettings() {
    Map<String, Setting> byName = new LinkedHashMap<>();
    EntityKind.byDefaultTopic().forEach((topic, kinds) -> {
      Setting setting = Setting.text(kinds.get(0).topicSetting()).withDefault(topic).doc("topic of "
          + String.join(" and ", kinds.stream().map(EntityKind::eventType).toList()) + " envelopes");
      Setting shared = byName.putIfAbsent(setting.name(), setting);
      if (shared != null) {
        throw new IllegalStateException("the default topics of " + kinds + " and another kind both end in '"
            + setting.name() + "': declare a distinct topic");
      }
    });
    Map<EntityKind, Setting> settings = new LinkedHashMap<>();
    EntityKind.all().forEach(kind -> settings.put(kind, byName.get(kind.topicSetting())));
    return settings;
  }

  /** Reads the sink's settings, as {@link #settings()} declares them. */
  public static KafkaSinkConfig from(ComponentConfig config) {
    Builder builder = new Builder(config.require(BROKERS));
    topics(config).forEach(builder::topic);
    builder.deadLetterTopic = deadLetterTopic(config);
    builder.createTopics = config.bool(CREATE_TOPICS);
    builder.partitions = config.integer(PARTITIONS);
    builder.replicationFactor = (short) config.integer(REPLICATION_FACTOR);
    builder.deliveryTimeout = Duration.ofMillis(config.integer(DELIVERY_TIMEOUT_MS));
    builder.retentionCheck = RetentionCheck.valueOf(config.require(RETENTION_CHECK).toUpperCase(Locale.ROOT));
    builder.producerProperties.putAll(config.group(PRODUCER));
    builder.topicConfigs.putAll(config.group(TOPIC_CONFIG));
    return builder.build();
  }

  /** Every topic the sink writes to, in the order the kinds were declared, the dead-letter topic last. */
  public java.util.List<String> allTopics() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    EntityKind.all().forEach(kind -> names.add(topicOf(kind)));
    names.add(deadLetterTopic);
    return java.util.List.copyOf(names);
  }

  /** The topic of a kind's envelopes: the configured one, else (a kind declared after this config) its default. */
  public String topicOf(EntityKind kind) {
    return topics.getOrDefault(kind, kind.defaultTopic());
  }

  @Override
  public String toString() {
    // producer properties may hold SASL passwords
    return "KafkaSinkConfig[bootstrapServers=" + bootstrapServers + ", topics=" + allTopics() + ", producerProperties="
        + producerProperties.keySet() + ", topicConfigs=" + topicConfigs + ", retentionCheck=" + retentionCheck + "]";
  }

  public static final class Builder {
    private final String bootstrapServers;
    private final Map<EntityKind, String> topics = new LinkedHashMap<>();
    private String deadLetterTopic = DEFAULT_DLQ;
    private boolean createTopics;
    private int partitions = 6;
    private short replicationFactor = -1;
    private Duration deliveryTimeout = Duration.ofMinutes(2);
    private final Map<String, String> producerProperties = new LinkedHashMap<>();
    private final Map<String, String> topicConfigs = new LinkedHashMap<>();
    private RetentionCheck retentionCheck = RetentionCheck.WARN;

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    /** The topic of one kind's envelopes, instead of its default topic. */
    public Builder topic(EntityKind kind, String topic) {
      topics.put(Objects.requireNonNull(kind, "kind"), topic);
      return this;
    }

    /** Every declared kind's default topic with a prefix: {@code team.} → {@code team.git.commits}, … */
    public Builder topicPrefix(String prefix) {
      EntityKind.all().forEach(kind -> topics.put(kind, prefix + kind.defaultTopic()));
      return this;
    }

    public Builder deadLetterTopic(String value) {
      this.deadLetterTopic = value;
      return this;
    }

    public Builder createTopics(int partitionCount, short replication) {
      this.createTopics = true;
      this.partitions = partitionCount;
      this.replicationFactor = replication;
      return this;
    }

    public Builder deliveryTimeout(Duration value) {
      this.deliveryTimeout = value;
      return this;
    }

    public Builder producerProperty(String key, String value) {
      producerProperties.put(key, value);
      return this;
    }

    /** A config of the topics it creates, over {@link #DEFAULT_TOPIC_CONFIGS}: {@code retention.ms}, … */
    public Builder topicConfig(String key, String value) {
      topicConfigs.put(key, value);
      return this;
    }

    public Builder retentionCheck(RetentionCheck value) {
      this.retentionCheck = value;
      return this;
    }

    public KafkaSinkConfig build() {
      Map<EntityKind, String> all = new LinkedHashMap<>();
      EntityKind.all().forEach(kind -> all.put(kind, kind.defaultTopic()));
      all.putAll(topics);
      return new KafkaSinkConfig(bootstrapServers, all, deadLetterTopic, createTopics, partitions, replicationFactor, deliveryTimeout, producerProperties,
          topicConfigs, retentionCheck);
    }
  }
}
