package io.gitcollector.kafka.internal;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.kafka.KafkaSinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes envelopes to Kafka: key {@code repository_id} (one repository, one partition, in order), value the
 * envelope's JSON, headers {@code event_id}, {@code event_type}, {@code source}, {@code schema_version},
 * {@code content-type}, record time the entity's own time. A batch is acknowledged only when the broker acknowledged
 * every record ({@code acks=all}, idempotent producer); a record the broker refuses for good (too large, invalid)
 * goes to the dead-letter topic with the reason, and the batch still succeeds.
 */
public final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

  private final KafkaSinkConfig config;
  private final KafkaProducer<String, byte[]> producer;
  private final int maxRequestSize;
  private final ExecutorService deadLetterSender = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "git-collector-kafka-dlq");
    thread.setDaemon(true);
    return thread;
  });

  public KafkaSink(KafkaSinkConfig config) {
    this.config = config;
    ensureTopics();
    Properties properties = producerProperties(config);
    this.maxRequestSize = Integer.parseInt(properties.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    try {
      this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidConfigurationException("the Kafka producer cannot start with this configuration: "
          + cause.getMessage(), e);
    }
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

  private void ensureTopics() {
    Properties adminProperties = new Properties();
    config.producerProperties().forEach((key, value) -> {
      if (AdminClientConfig.configNames().contains(key)) {
        adminProperties.put(key, value);
      }
    });
    adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    adminProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, config.deliveryTimeout().toMillis()));
    adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
    Set<String> wanted = new LinkedHashSet<>(List.of(config.commitsTopic(), config.pullRequestsTopic(),
        config.repositoriesTopic(), config.deadLetterTopic()));
    try (Admin admin = Admin.create(adminProperties)) {
      Set<String> existing = admin.listTopics().names().get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
      List<String> missing = wanted.stream().filter(t -> !existing.contains(t)).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!config.createTopics()) {
        throw new InvalidConfigurationException("Kafka topic '" + missing.get(0) + "' does not exist on "
            + config.bootstrapServers() + (missing.size() > 1 ? " (nor " + missing.subList(1, missing.size()) + ")"
            : "") + "; create it, or set KAFKA_CREATE_TOPICS=true");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : missing) {
        topics.add(new NewTopic(topic, java.util.Optional.of(config.partitions()),
            config.replicationFactor() < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(config.replicationFactor())));
      }
      try {
        admin.createTopics(topics).all().get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("created Kafka topics {}", missing);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
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

  @Override
  public CompletableFuture<Void> publish(List<Envelope> envelopes) {
    List<CompletableFuture<Void>> acknowledgements = new ArrayList<>(envelopes.size());
    try {
      for (Envelope envelope : envelopes) {
        acknowledgements.add(send(envelope));
      }
    } catch (RuntimeException e) {
      acknowledgements.forEach(ack -> ack.cancel(false));
      return CompletableFuture.failedFuture(new SinkException("Kafka refused a record: " + e.getMessage(), e));
    }
    return CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> send(Envelope envelope) {
    String topic = config.topicOf(envelope.kind());
    byte[] value = EnvelopeCodec.toJsonBytes(envelope);
    if (value.length + 1024 > maxRequestSize) {
      return deadLetter(envelope, topic, value.length, "envelope of " + value.length
          + " bytes exceeds the producer's max.request.size of " + maxRequestSize + " bytes");
    }
    CompletableFuture<Void> ack = new CompletableFuture<>();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
        envelope.timestamp().toEpochMilli(), envelope.repositoryId(), value, headers(envelope));
    producer.send(record, (metadata, error) -> {
      if (error == null) {
        ack.complete(null);
      } else if (error instanceof RecordTooLargeException || error instanceof InvalidRecordException) {
        // callbacks run on the producer's I/O thread, which a send from here could block: hand it off
        CompletableFuture.supplyAsync(() -> deadLetter(envelope, topic, value.length,
                error.getClass().getSimpleName() + ": " + error.getMessage()), deadLetterSender)
            .thenCompose(sent -> sent)
            .whenComplete((ok, dlqError) -> {
              if (dlqError == null) {
                ack.complete(null);
              } else {
                ack.completeExceptionally(dlqError);
              }
            });
      } else {
        ack.completeExceptionally(new SinkException("Kafka did not acknowledge " + envelope.eventType() + " "
            + envelope.eventId() + " on " + topic + " within the delivery timeout of "
            + config.deliveryTimeout().toSeconds() + " s: " + error.getMessage(), error));
      }
    });
    return ack;
  }

  /**
   * The envelope's identity and the reason, without its data (which is what did not fit), to the dead-letter topic.
   */
  private CompletableFuture<Void> deadLetter(Envelope envelope, String originalTopic, int size, String reason) {
    ObjectNode stub = EnvelopeCodec.mapper().createObjectNode();
    stub.put("event_id", envelope.eventId());
    stub.put("event_type", envelope.eventType());
    stub.put("repository_id", envelope.repositoryId());
    stub.put("source", envelope.source());
    stub.put("timestamp", envelope.timestamp().toString());
    stub.put("entity_key", envelope.data().key());
    stub.put("size_bytes", size);
    stub.put("reason", reason);
    RecordHeaders headers = headers(envelope);
    headers.add("original_topic", originalTopic.getBytes(StandardCharsets.UTF_8));
    headers.add("dlq_reason", reason.getBytes(StandardCharsets.UTF_8));
    CompletableFuture<Void> ack = new CompletableFuture<>();
    LOG.warn("sending {} {} to the dead-letter topic {}: {}", envelope.eventType(), envelope.eventId(),
        config.deadLetterTopic(), reason);
    producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, envelope.timestamp().toEpochMilli(),
        envelope.repositoryId(), stub.toString().getBytes(StandardCharsets.UTF_8), headers), (metadata, error) -> {
          if (error == null) {
            ack.complete(null);
          } else {
            ack.completeExceptionally(new SinkException("the dead-letter topic " + config.deadLetterTopic()
                + " did not acknowledge " + envelope.eventId() + ": " + error.getMessage(), error));
          }
        });
    return ack;
  }

  private static RecordHeaders headers(Envelope envelope) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("event_id", envelope.eventId().getBytes(StandardCharsets.UTF_8));
    headers.add("event_type", envelope.eventType().getBytes(StandardCharsets.UTF_8));
    headers.add("source", envelope.source().getBytes(StandardCharsets.UTF_8));
    headers.add("schema_version", Integer.toString(envelope.schemaVersion()).getBytes(StandardCharsets.UTF_8));
    headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  @Override
  public String describe() {
    return "kafka:" + config.bootstrapServers() + " (" + config.commitsTopic() + ", " + config.pullRequestsTopic()
        + ", " + config.repositoriesTopic() + ")";
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
    producer.close(Duration.ofMillis(config.deliveryTimeout().toMillis()));
  }
}
