package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.testkit.compat.SampleEnvelopes;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.gitcollector.core.model.SinkException;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Only an envelope too large to ever be written goes to the dead-letter topic, with what it takes to fetch it again;
 * every other refusal (an invalid timestamp, an unknown topic, a dead-letter topic that refuses too) fails the batch
 * with the broker's reason, and a sync then moves no cursor past it.
 */
class KafkaDeadLetterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InProcessKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    // the broker accepts smaller messages than the producer may send, as many production clusters do
    // as production clusters run: no topic appears because a producer named it
    kafka = InProcessKafka.start(Map.of("message.max.bytes", "200000", "auto.create.topics.enable", "false"));
  }

  private static final java.util.concurrent.atomic.AtomicInteger refusals =
      new java.util.concurrent.atomic.AtomicInteger();

  @AfterAll
  static void stop() throws Exception {
    if (refusals.get() > 0) {
      ReliabilityLog.record(new ReliabilityLog.Row("2-kafka-refusals", "a page the broker refuses for another"
          + " reason than size: a timestamp out of range, its topic deleted (auto-creation off), a dead-letter topic"
          + " that refuses too", 3, refusals.get(), "each page failed with the broker's own reason; nothing"
          + " dead-lettered in its place"));
    }
    kafka.close();
  }

  static Envelope withMessageOfSize(Envelope commit, int bytes) {
    Commit data = (Commit) commit.data();
    // random text, so that compression cannot shrink it under the limits
    byte[] random = new byte[bytes * 3 / 4];
    new java.util.SplittableRandom(bytes).nextBytes(random);
    String message = java.util.Base64.getEncoder().encodeToString(random);
    Commit huge = new Commit(data.sha(), data.parents(), data.author(), data.committer(), message,
        data.additions(), data.deletions(), data.changedFiles(), data.files(), data.webUrl());
    return Envelope.of(commit.source(), commit.repositoryId(), huge);
  }

  @Test
  void tooLargeForTheBrokerOrTheProducerGoesToTheDeadLetterTopic() throws Exception {
    String repository = "github:github.com/acme/huge-messages";
    Envelope brokerRefuses = withMessageOfSize(SampleEnvelopes.commit(repository, 1), 300_000);
    Envelope producerRefuses = withMessageOfSize(SampleEnvelopes.commit(repository, 2), 2_000_000);
    List<Envelope> batch = List.of(SampleEnvelopes.commit(repository, 0), brokerRefuses, producerRefuses,
        SampleEnvelopes.commit(repository, 3));
    try (Sink sink = KafkaSinkProvider.create(KafkaSinkConfig.builder(kafka.bootstrapServers())
        .createTopics(1, (short) 1).deliveryTimeout(Duration.ofSeconds(30)).build())) {
      sink.publish(batch).get(60, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<String, byte[]>> commits = TopicReader.readAll(kafka.bootstrapServers(), "git.commits");
    assertEquals(List.of(batch.get(0).eventId(), batch.get(3).eventId()),
        commits.stream().filter(r -> r.key().equals(repository)).map(r -> TopicReader.header(r, "event_id")).toList());
    List<ConsumerRecord<String, byte[]>> dead = TopicReader.readAll(kafka.bootstrapServers(), "git.dlq");
    assertEquals(2, dead.size());
    for (ConsumerRecord<String, byte[]> record : dead) {
      assertEquals("git.commits", TopicReader.header(record, "original_topic"));
      assertEquals(repository, record.key());
      JsonNode stub = JSON.readTree(record.value());
      assertEquals(TopicReader.header(record, "event_id"), stub.path("event_id").asText());
      // what a consumer needs to fetch it again
      assertEquals(repository, stub.path("repository_id").asText());
      assertEquals("commit", stub.path("entity_kind").asText());
      assertEquals("github", stub.path("source").asText());
      assertEquals("git.commits", stub.path("original_topic").asText());
      Envelope original = stub.path("event_id").asText().equals(brokerRefuses.eventId()) ? brokerRefuses
          : producerRefuses;
      assertEquals(original.data().key(), stub.path("entity_key").asText());
      assertEquals(original.data().version(), stub.path("entity_version").asText());
      assertTrue(TopicReader.header(record, "dlq_reason").contains("RecordTooLarge")
          || TopicReader.header(record, "dlq_reason").contains("max.request.size"), TopicReader.header(record,
          "dlq_reason"));
    }
    assertTrue(dead.stream().anyMatch(r -> TopicReader.header(r, "event_id").equals(brokerRefuses.eventId())));
    assertTrue(dead.stream().anyMatch(r -> TopicReader.header(r, "event_id").equals(producerRefuses.eventId())));
    ReliabilityLog.record(new ReliabilityLog.Row("2-kafka-too-large", "envelopes larger than the broker's"
        + " `message.max.bytes` and than the producer's `max.request.size`, in a page of four", 2, dead.size() == 2
        && commits.size() == 2 ? 2 : 0, "both on the dead-letter topic with repository, kind, key and version to"
        + " fetch them again; the page acknowledged"));
  }

  private static void createTopic(String name, Map<String, String> configs) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1).configs(configs)))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaSinkConfig.Builder sinkOn(String prefix) {
    return KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topicPrefix(prefix).deadLetterTopic(prefix + "dlq")
        .createTopics(1, (short) 1).deliveryTimeout(Duration.ofSeconds(10));
  }

  @Test
  void aTimestampTheBrokerRefusesFailsTheBatchWithTheBrokersReasonAndNothingGoesToTheDeadLetterTopic()
      throws Exception {
    // KIP-937: no record older than the broker's clock; every record a producer sends is, by a little
    createTopic("strict.git.commits", Map.of("message.timestamp.type", "CreateTime",
        "message.timestamp.before.max.ms", "0"));
    String repository = "github:github.com/acme/strict";
    try (Sink sink = KafkaSinkProvider.create(sinkOn("strict.").build())) {
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> sink.publish(List.of(SampleEnvelopes.commit(repository, 0))).get(60, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof SinkException, failure.getCause().toString());
      assertTrue(failure.getCause().getMessage().contains("Kafka refused commit_created"),
          failure.getCause().getMessage());
      // the broker's words: InvalidTimestampException or, for a compressed batch, InvalidRecordException
      assertTrue(failure.getCause().getMessage().contains("out of range"), failure.getCause().getMessage());
      assertTrue(!failure.getCause().getMessage().contains("delivery timeout"), failure.getCause().getMessage());
    }
    assertEquals(0, TopicReader.readAll(kafka.bootstrapServers(), "strict.dlq").size(), "no dead letter");
    assertEquals(0, TopicReader.readAll(kafka.bootstrapServers(), "strict.git.commits").size());
    refusals.incrementAndGet();
  }

  @Test
  void aTopicDeletedUnderTheSinkFailsTheBatchNamingIt() throws Exception {
    String repository = "github:github.com/acme/vanished";
    try (Sink sink = KafkaSinkProvider.create(sinkOn("vanishing.").deliveryTimeout(Duration.ofSeconds(4)).build())) {
      sink.publish(List.of(SampleEnvelopes.commit(repository, 0))).get(60, TimeUnit.SECONDS);
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
          Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.deleteTopics(List.of("vanishing.git.commits")).all().get(30, TimeUnit.SECONDS);
        // deletion completes in the background: until the broker has dropped the partition, writes still land in it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names()
            .get(10, TimeUnit.SECONDS).contains("vanishing.git.commits") && admin.describeTopics(
                List.of("vanishing.git.commits")).allTopicNames().toCompletionStage().toCompletableFuture()
                .handle((ok, error) -> error != null).get(10, TimeUnit.SECONDS));
      }
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> sink.publish(List.of(SampleEnvelopes.commit(repository, 1))).get(60, TimeUnit.SECONDS));
      assertTrue(failure.getCause().getMessage().contains("vanishing.git.commits"), failure.getCause().getMessage());
    }
    assertEquals(0, TopicReader.readAll(kafka.bootstrapServers(), "vanishing.dlq").size(), "no dead letter");
    refusals.incrementAndGet();
  }

  @Test
  void aDeadLetterTopicThatRefusesFailsTheBatch() throws Exception {
    // the dead-letter topic refuses everything (its records are bigger than it allows)
    createTopic("nodlq.dlq", Map.of("max.message.bytes", "64"));
    String repository = "github:github.com/acme/no-dead-letters";
    try (Sink sink = KafkaSinkProvider.create(sinkOn("nodlq.").build())) {
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> sink.publish(List.of(SampleEnvelopes.commit(repository, 0),
              withMessageOfSize(SampleEnvelopes.commit(repository, 1), 300_000))).get(60, TimeUnit.SECONDS));
      assertTrue(failure.getCause().getMessage().contains("the dead-letter topic nodlq.dlq refused"),
          failure.getCause().getMessage());
      assertTrue(failure.getCause().getMessage().contains("RecordTooLargeException"),
          failure.getCause().getMessage());
    }
    refusals.incrementAndGet();
  }

  @Test
  void aMissingTopicStopsStartUpWithItsName() {
    Executable start = () -> KafkaSinkProvider.create(KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topic(EntityKind.COMMIT, "team.commits").deliveryTimeout(Duration.ofSeconds(20))
        .build()).close();
    InvalidConfigurationException error =
        org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigurationException.class, start);
    assertTrue(error.getMessage().contains("does not exist") && error.getMessage().contains("team.commits")
        && error.getMessage().endsWith("create it, or set KAFKA_CREATE_TOPICS=true"), error.getMessage());
  }
}
