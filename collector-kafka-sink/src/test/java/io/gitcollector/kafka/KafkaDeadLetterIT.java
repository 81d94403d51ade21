package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.testkit.compat.SampleEnvelopes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Envelopes the broker refuses for good go to the dead-letter topic with their reason; the batch goes on. */
class KafkaDeadLetterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static InProcessKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    // the broker accepts smaller messages than the producer may send, as many production clusters do
    kafka = InProcessKafka.start(Map.of("message.max.bytes", "200000"));
  }

  @AfterAll
  static void stop() throws Exception {
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
      assertTrue(TopicReader.header(record, "dlq_reason").contains("RecordTooLarge")
          || TopicReader.header(record, "dlq_reason").contains("max.request.size"), TopicReader.header(record,
          "dlq_reason"));
    }
    assertTrue(dead.stream().anyMatch(r -> TopicReader.header(r, "event_id").equals(brokerRefuses.eventId())));
    assertTrue(dead.stream().anyMatch(r -> TopicReader.header(r, "event_id").equals(producerRefuses.eventId())));
  }

  @Test
  void aMissingTopicStopsStartUpWithItsName() {
    Executable start = () -> KafkaSinkProvider.create(KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topics("team.commits", "git.pull_requests", "git.repositories").deliveryTimeout(Duration.ofSeconds(20))
        .build()).close();
    InvalidConfigurationException error =
        org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigurationException.class, start);
    assertTrue(error.getMessage().contains("'team.commits' does not exist"), error.getMessage());
  }
}
