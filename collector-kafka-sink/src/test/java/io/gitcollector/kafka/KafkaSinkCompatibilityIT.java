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

  @org.junit.jupiter.api.Test
  void theProducersOwnMetersGoToMicrometersGlobalRegistryWhileTheSinkIsOpen() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    try {
      try (Sink sink = createSink()) {
        sink.publish(List.of(io.gitcollector.testkit.compat.SampleEnvelopes.commit("github:github.com/kit/metered", 1)))
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
        double sent = registry.find("kafka.producer.record.send.total").functionCounters().stream()
            .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum();
        org.junit.jupiter.api.Assertions.assertTrue(sent >= 1, "records sent, by Kafka's own count: "
            + registry.getMetersAsString().lines().filter(l -> l.contains("record.send")).toList());
        org.junit.jupiter.api.Assertions.assertFalse(registry.find("kafka.producer.request.latency.avg").gauges()
            .isEmpty(), "the producer's request latency");
      }
      org.junit.jupiter.api.Assertions.assertTrue(registry.find("kafka.producer.record.send.total").meters()
          .isEmpty(), "a closed sink leaves no meter behind");
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(registry);
    }
  }
}
