package io.gitcollector.kafka;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the Kafka sink.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param commitsTopic topic of {@code commit_created}
 * @param pullRequestsTopic topic of {@code pull_request_updated}
 * @param repositoriesTopic topic of {@code repository_updated} and {@code contributor_updated}
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
    String commitsTopic,
    String pullRequestsTopic,
    String repositoriesTopic,
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
    for (String topic : new String[] {commitsTopic, pullRequestsTopic, repositoriesTopic, deadLetterTopic}) {
      if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw new InvalidConfigurationException("'" + topic + "' is not a valid Kafka topic name");
      }
    }
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

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /**
   * Reads the sink's settings: {@code bootstrap_servers}, {@code topic.*}, {@code producer.*},
   * {@code topic_config.*}, {@code retention_check}, …
   */
  public static KafkaSinkConfig from(ComponentConfig config) {
    Builder builder = new Builder(config.require("bootstrap_servers"));
    config.get("topic.commits").ifPresent(t -> builder.commitsTopic = t);
    config.get("topic.pull_requests").ifPresent(t -> builder.pullRequestsTopic = t);
    config.get("topic.repositories").ifPresent(t -> builder.repositoriesTopic = t);
    config.get("topic.dlq").ifPresent(t -> builder.deadLetterTopic = t);
    config.get("create_topics").ifPresent(v -> builder.createTopics = bool("create_topics", v));
    builder.partitions = config.integer("partitions", builder.partitions);
    builder.replicationFactor = (short) config.integer("replication_factor", builder.replicationFactor);
    builder.deliveryTimeout = Duration.ofMillis(config.integer("delivery_timeout_ms",
        (int) builder.deliveryTimeout.toMillis()));
    config.get("retention_check").ifPresent(v -> builder.retentionCheck = retentionCheck(v));
    config.values().forEach((key, value) -> {
      if (key.startsWith("producer.")) {
        builder.producerProperties.put(key.substring("producer.".length()), value);
      } else if (key.startsWith("topic_config.")) {
        builder.topicConfigs.put(key.substring("topic_config.".length()), value);
      }
    });
    return builder.build();
  }

  /** Every topic the sink writes to, the dead-letter topic last. */
  public java.util.List<String> topics() {
    return java.util.List.copyOf(new java.util.LinkedHashSet<>(java.util.List.of(commitsTopic, pullRequestsTopic,
        repositoriesTopic, deadLetterTopic)));
  }

  public String topicOf(EntityKind kind) {
    return switch (kind) {
      case COMMIT -> commitsTopic;
      case PULL_REQUEST -> pullRequestsTopic;
      case REPOSITORY, CONTRIBUTOR -> repositoriesTopic;
    };
  }

  @Override
  public String toString() {
    // producer properties may hold SASL passwords
    return "KafkaSinkConfig[bootstrapServers=" + bootstrapServers + ", topics=" + commitsTopic + ","
        + pullRequestsTopic + "," + repositoriesTopic + ", dlq=" + deadLetterTopic + ", producerProperties="
        + producerProperties.keySet() + ", topicConfigs=" + topicConfigs + ", retentionCheck=" + retentionCheck + "]";
  }

  private static boolean bool(String key, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
    }
    throw new InvalidConfigurationException(key + " must be true or false, was '" + value + "'");
  }

  private static RetentionCheck retentionCheck(String value) {
    try {
      return RetentionCheck.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("retention_check (KAFKA_RETENTION_CHECK) must be warn, refuse or off,"
          + " was '" + value + "'");
    }
  }

  public static final class Builder {
    private final String bootstrapServers;
    private String commitsTopic = EntityKind.COMMIT.defaultTopic();
    private String pullRequestsTopic = EntityKind.PULL_REQUEST.defaultTopic();
    private String repositoriesTopic = EntityKind.REPOSITORY.defaultTopic();
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

    public Builder topics(String commits, String pullRequests, String repositories) {
      this.commitsTopic = commits;
      this.pullRequestsTopic = pullRequests;
      this.repositoriesTopic = repositories;
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
      return new KafkaSinkConfig(bootstrapServers, commitsTopic, pullRequestsTopic, repositoriesTopic,
          deadLetterTopic, createTopics, partitions, replicationFactor, deliveryTimeout, producerProperties,
          topicConfigs, retentionCheck);
    }
  }
}
