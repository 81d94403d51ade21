package io.gitcollector.kafka;

import io.gitcollector.core.spi.Sink;
import io.gitcollector.testkit.compat.SinkCompatibilityKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Kafka sink runs the sink compatibility kit against a real in-process broker. */
class KafkaSinkCompatibilityIT extends SinkCompatibilityKit {
  private static InProcessKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = InProcessKafka.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  @Override
  protected Sink createSink() {
    return KafkaSinkProvider.create(KafkaSinkConfig.builder(kafka.bootstrapServers()).createTopics(3, (short) 1)
        .deliveryTimeout(Duration.ofSeconds(30)).build());
  }

  @Override
  protected List<String> deliveredEventIds(String repositoryId) {
    List<String> ids = new ArrayList<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka.bootstrapServers(), topic)) {
        if (repositoryId.equals(record.key())) {
          ids.add(TopicReader.header(record, "event_id"));
        }
      }
    }
    return ids;
  }
}
