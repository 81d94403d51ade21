package io.gitcollector.kafka.internal;

import io.gitcollector.core.spi.toolkit.DaemonThreads;

import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.kafka.EnvelopeRecords;
import io.gitcollector.kafka.KafkaSinkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes envelopes to Kafka as {@link EnvelopeRecords} lays them out (key, value, headers, no timestamp of the
 * entity's).
 *
 * <p>A batch is acknowledged only when the broker acknowledged every record ({@code acks=all}, idempotent producer).
 * The one refusal that skips a record is its own size ({@link RecordTooLargeException}, or larger than the producer's
 * {@code max.request.size}): it can never be written, so it goes to the dead-letter topic with what it takes to fetch
 * it again, and the batch succeeds once the dead-letter topic acknowledged it. Every other refusal (invalid
 * timestamp, authorization, unknown topic, policy, timeout) fails the batch with the broker's reason, so no cursor
 * moves past it.
 */
public final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HEALTH_CACHE = Duration.ofSeconds(5);

  private final KafkaSinkConfig config;
  private final Admin admin;
  private final KafkaProducer<String, byte[]> producer;
  /** The producer's own meters (Kafka's client metrics), in Micrometer's global registry while the sink is open. */
  private final io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics producerMetrics;
  private final int maxRequestSize;
  private final ExecutorService deadLetterSender = Executors.newSingleThreadExecutor(
      DaemonThreads.named("git-collector-kafka-dlq"));
  private final Object healthLock = new Object();
  private Health lastHealth;
  private long lastHealthNanos;

  public KafkaSink(KafkaSinkConfig config) {
    this.config = config;
    this.admin = Admin.create(adminProperties(config));
    try {
      ensureTopics();
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
    Properties properties = producerProperties(config);
    this.maxRequestSize = Integer.parseInt(properties.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    try {
      this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      admin.close(Duration.ZERO);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidConfigurationException("the Kafka producer cannot start with this configuration: "
          + cause.getMessage(), e);
    }
    // the server adds its Prometheus registry to the global one; an embedding application, its own
    this.producerMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
    producerMetrics.bindTo(io.micrometer.core.instrument.Metrics.globalRegistry);
  }

  static Properties producerProperties(KafkaSinkConfig config) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // the engine waits for each page's acknowledgement, so lingering only adds latency: a page is a batch already
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1024 * 1024));
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "git-collector");
    long timeout = config.deliveryTimeout().toMillis();
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
    // the producer insists on delivery.timeout.ms >= linger.ms + request.timeout.ms
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1_000, Math.min(30_000,
        timeout / 2))));
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
    properties.putAll(config.producerProperties());
    return properties;
  }

  private static Properties adminProperties(KafkaSinkConfig config) {
    Properties adminProperties = new Properties();
    config.producerProperties().forEach((key, value) -> {
      if (AdminClientConfig.configNames().contains(key)) {
        adminProperties.put(key, value);
      }
    });
    adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, "git-collector-admin");
    adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, config.deliveryTimeout().toMillis()));
    adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
    return adminProperties;
  }

  private void ensureTopics() {
    List<String> wanted = config.allTopics();
    long timeout = config.deliveryTimeout().toMillis();
    try {
      Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
      List<String> missing = wanted.stream().filter(t -> !existing.contains(t)).toList();
      if (!missing.isEmpty() && !config.createTopics()) {
        throw new InvalidConfigurationException("Kafka topic '" + missing.get(0) + "' does not exist on "
            + config.bootstrapServers() + (missing.size() > 1 ? " (nor " + missing.subList(1, missing.size()) + ")"
            : "") + "; create it, or set KAFKA_CREATE_TOPICS=true");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : missing) {
        topics.add(new NewTopic(topic, Optional.of(config.partitions()),
            config.replicationFactor() < 0 ? Optional.empty() : Optional.of(config.replicationFactor()))
            .configs(config.topicConfigs()));
      }
      List<String> created = new ArrayList<>();
      if (!topics.isEmpty()) {
        CreateTopicsResult result = admin.createTopics(topics);
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
          try {
            entry.getValue().get(timeout, TimeUnit.MILLISECONDS);
            created.add(entry.getKey());
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw new InvalidConfigurationException("cannot create Kafka topic '" + entry.getKey() + "' with "
                  + config.topicConfigs() + ": " + e.getCause().getMessage(), e.getCause());
            }
          }
        }
        LOG.info("created Kafka topics {} with {}", created, config.topicConfigs());
        awaitLeaders(created, timeout);
      }
      List<String> toCheck = wanted.stream().filter(t -> !created.contains(t)).toList();
      if (config.retentionCheck() != KafkaSinkConfig.RetentionCheck.OFF && !toCheck.isEmpty()) {
        checkRetention(toCheck, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException("interrupted while checking Kafka topics", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new SinkException("cannot reach Kafka at " + config.bootstrapServers() + " to check topics " + wanted
          + " within " + config.deliveryTimeout().toSeconds() + " s: " + cause, cause);
    }
  }

  /**
   * Waits until every partition of the topics just created has a leader: a topic is created before its partitions are
   * ready, and records sent meanwhile can sit in the producer until the delivery timeout.
   */
  /**
   * Whether the leader of every partition answers for it: a leader named in the metadata may not have opened the
   * partition yet, and an idempotent producer's first requests to it can then be refused and accepted out of order,
   * after which the refused one can never be written (KAFKA-15591): the page fails until the delivery timeout. A
   * partition whose leader answers a list-offsets request is open.
   */
  private boolean leadersServe(Map<String, org.apache.kafka.clients.admin.TopicDescription> descriptions,
      long timeout) throws InterruptedException, TimeoutException {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitions =
        new java.util.HashMap<>();
    descriptions.forEach((name, topic) -> topic.partitions().forEach(partition -> partitions.put(
        new org.apache.kafka.common.TopicPartition(name, partition.partition()),
        org.apache.kafka.clients.admin.OffsetSpec.latest())));
    try {
      admin.listOffsets(partitions).all().get(timeout, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
        return false;
      }
      throw new org.apache.kafka.common.KafkaException("cannot read the offsets of the topics just created",
          e.getCause());
    }
  }

  private void awaitLeaders(List<String> topics, long timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    while (true) {
      Map<String, org.apache.kafka.clients.admin.TopicDescription> descriptions;
      try {
        descriptions = admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
        descriptions = Map.of();
      }
      boolean ready = descriptions.size() == topics.size() && descriptions.values().stream()
          .allMatch(topic -> topic.partitions().stream().allMatch(partition -> partition.leader() != null
              && !partition.leader().isEmpty()));
      if (ready && leadersServe(descriptions, timeout)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the partitions of " + topics + " got no leader within " + timeout + " ms");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Reads the configs of topics the sink did not create and names each one that deletes or compacts records: the
   * collector does not collect again what a topic deleted, so consumers must read it within that time.
   */
  private void checkRetention(List<String> topics, long timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<ConfigResource> resources = topics.stream()
        .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeout, TimeUnit.MILLISECONDS);
    List<String> problems = new ArrayList<>();
    for (ConfigResource resource : resources) {
      TopicRetention.problems(resource.name(), name -> Optional.ofNullable(configs.get(resource))
          .map(c -> c.get(name)).map(ConfigEntry::value)).forEach(problems::add);
    }
    if (problems.isEmpty()) {
      return;
    }
    String message = String.join("; ", problems);
    if (config.retentionCheck() == KafkaSinkConfig.RetentionCheck.REFUSE) {
      throw new InvalidConfigurationException(message + " (KAFKA_RETENTION_CHECK=refuse; set the topic's"
          + " retention.ms=-1 and cleanup.policy=delete, or KAFKA_RETENTION_CHECK=warn to accept it)");
    }
    LOG.warn("{}; the collector does not collect again what a topic deleted, so consumers must read it in time"
        + " (KAFKA_RETENTION_CHECK=refuse stops start-up instead)", message);
  }

  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    List<CompletableFuture<Void>> acknowledgements = new ArrayList<>(envelopes.size());
    try {
      for (Envelope envelope : envelopes) {
        acknowledgements.add(send(envelope));
      }
    } catch (RuntimeException e) {
      acknowledgements.forEach(ack -> ack.cancel(false));
      return CompletableFuture.failedFuture(new SinkException("Kafka refused a record: " + reason(e), e));
    }
    return CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> send(Envelope envelope) {
    String topic = config.topicOf(envelope.kind());
    byte[] value = EnvelopeRecords.value(envelope);
    if (value.length + 1024 > maxRequestSize) {
      return deadLetter(envelope, topic, value.length, "envelope of " + value.length
          + " bytes exceeds the producer's max.request.size of " + maxRequestSize + " bytes");
    }
    CompletableFuture<Void> ack = new CompletableFuture<>();
    // no timestamp: see EnvelopeRecords
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, null, EnvelopeRecords.key(envelope),
        value, headers(EnvelopeRecords.headers(envelope)));
    producer.send(record, (metadata, error) -> {
      if (error == null) {
        ack.complete(null);
      } else if (error instanceof RecordTooLargeException) {
        // callbacks run on the producer's I/O thread, which a send from here could block: hand it off
        CompletableFuture.supplyAsync(() -> deadLetter(envelope, topic, value.length, reason(error)),
                deadLetterSender)
            .thenCompose(sent -> sent)
            .whenComplete((ok, dlqError) -> {
              if (dlqError == null) {
                ack.complete(null);
              } else {
                ack.completeExceptionally(dlqError instanceof CompletionException ? dlqError.getCause() : dlqError);
              }
            });
      } else {
        ack.completeExceptionally(new SinkException(refusal(envelope.eventType() + " " + envelope.eventId(), topic,
            error), error));
      }
    });
    return ack;
  }

  /** The broker's own words for a refusal, and whether it is the delivery timeout or a refusal. */
  private String refusal(String what, String topic, Exception error) {
    if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "Kafka did not acknowledge " + what + " on " + topic + " within the delivery timeout of "
          + config.deliveryTimeout().toSeconds() + " s: " + error.getMessage();
    }
    return "Kafka refused " + what + " on " + topic + ": " + reason(error);
  }

  private static String reason(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }

  /** The envelope's dead-letter record ({@link EnvelopeRecords#deadLetterValue}), sent to the dead-letter topic. */
  private CompletableFuture<Void> deadLetter(Envelope envelope, String originalTopic, int size, String reason) {
    byte[] stub = EnvelopeRecords.deadLetterValue(envelope, originalTopic, size, reason);
    RecordHeaders headers = headers(EnvelopeRecords.deadLetterHeaders(envelope, originalTopic, reason));
    CompletableFuture<Void> ack = new CompletableFuture<>();
    LOG.warn("sending {} {} to the dead-letter topic {}: {}", envelope.eventType(), envelope.eventId(),
        config.deadLetterTopic(), reason);
    try {
      producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, null, EnvelopeRecords.key(envelope), stub,
          headers), (metadata, error) -> {
            if (error == null) {
              ack.complete(null);
            } else {
              ack.completeExceptionally(new SinkException("the dead-letter topic " + config.deadLetterTopic()
                  + " refused " + envelope.eventType() + " " + envelope.eventId() + " (sent there because " + reason
                  + "): " + (error instanceof org.apache.kafka.common.errors.TimeoutException
                      ? "no acknowledgement within the delivery timeout: " + error.getMessage() : reason(error)),
                  error));
            }
          });
    } catch (RuntimeException e) {
      ack.completeExceptionally(new SinkException("the dead-letter topic " + config.deadLetterTopic() + " refused "
          + envelope.eventId() + ": " + reason(e), e));
    }
    return ack;
  }

  private static RecordHeaders headers(List<EnvelopeRecords.Header> layout) {
    RecordHeaders headers = new RecordHeaders();
    layout.forEach(header -> headers.add(header.name(), header.bytes()));
    return headers;
  }

  @Override
  public String describe() {
    return "kafka:" + config.bootstrapServers() + " " + config.allTopics();
  }

  /** A metadata request answered within two seconds; the answer is kept five seconds, so probes cost the broker little. */
  @Override
  public Health health() {
    synchronized (healthLock) {
      if (lastHealth != null && System.nanoTime() - lastHealthNanos < HEALTH_CACHE.toNanos()) {
        return lastHealth;
      }
      Health health;
      try {
        Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                .timeoutMs((int) HEALTH_TIMEOUT.toMillis())).nodes()
            .get(HEALTH_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        health = nodes.isEmpty() ? Health.down("Kafka at " + config.bootstrapServers() + " reports no brokers")
            : Health.up(nodes.size() + " broker(s) at " + config.bootstrapServers() + " answered");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Health.down("interrupted while asking Kafka at " + config.bootstrapServers());
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        health = Health.down("Kafka at " + config.bootstrapServers() + " did not answer a metadata request within "
            + HEALTH_TIMEOUT.toSeconds() + " s: " + cause.getClass().getSimpleName());
      }
      lastHealth = health;
      lastHealthNanos = System.nanoTime();
      return health;
    }
  }

  /** Flushes what was sent, then closes; waits up to the delivery timeout. */
  @Override
  public void close() {
    producer.flush();
    deadLetterSender.shutdown();
    try {
      deadLetterSender.awaitTermination(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
    producerMetrics.close();
    producer.close(Duration.ofMillis(config.deliveryTimeout().toMillis()));
    admin.close(Duration.ofSeconds(5));
  }
}
