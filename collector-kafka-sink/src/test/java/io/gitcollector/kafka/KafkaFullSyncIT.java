package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full sync from the simulator into a real broker, the sink chosen by configuration alone (KAFKA_BROKERS): the
 * three topics hold exactly the simulator's entities, keyed and ordered per repository.
 */
class KafkaFullSyncIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghp_kafkaFullSyncToken";

  @Test
  void everyEntityReachesItsTopicInOnePartitionPerRepositoryInCollectionOrder(@TempDir Path data) throws Exception {
    long started = System.currentTimeMillis();
    try (InProcessKafka kafka = InProcessKafka.start(Map.of());
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/streamed", RepositorySpec.of(20_000, 2_000, 2));
      SimulatedRepository other = simulator.addRepository("acme/neighbour", RepositorySpec.of(1_000, 50, 1));
      Map<String, String> environment = Map.of("KAFKA_BROKERS", kafka.bootstrapServers(), "KAFKA_CREATE_TOPICS",
          "true", "KAFKA_PARTITIONS", "4", "GITHUB_TOKEN", TOKEN, "GITHUB_API_URL", simulator.apiBaseUrl(),
          "COLLECTOR_DATA_DIR", data.toString());
      try (GitCollector collector = EnvironmentSettings.of(environment)
          .applyTo(GitCollector.builder(), getClass().getClassLoader()).build()) {
        assertTrue(collector.sink().describe().startsWith("kafka:"), collector.sink().describe());
        collector.sync("https://github.com/acme/streamed", SyncMode.FULL);
        collector.sync("https://github.com/acme/neighbour", SyncMode.FULL);
      }

      List<ConsumerRecord<String, byte[]>> commits = TopicReader.readAll(kafka.bootstrapServers(), "git.commits");
      List<ConsumerRecord<String, byte[]>> pulls = TopicReader.readAll(kafka.bootstrapServers(), "git.pull_requests");
      List<ConsumerRecord<String, byte[]>> repositories =
          TopicReader.readAll(kafka.bootstrapServers(), "git.repositories");
      String id = "github:github.com/acme/streamed";

      List<String> shas = new ArrayList<>();
      Set<Integer> commitPartitions = new HashSet<>();
      for (ConsumerRecord<String, byte[]> record : commits) {
        if (record.key().equals(id)) {
          JsonNode envelope = JSON.readTree(record.value());
          shas.add(envelope.path("data").path("sha").asText());
          commitPartitions.add(record.partition());
          assertEquals(envelope.path("event_id").asText(), TopicReader.header(record, "event_id"));
          assertEquals("commit_created", TopicReader.header(record, "event_type"));
          assertEquals("github", TopicReader.header(record, "source"));
          assertEquals("1", TopicReader.header(record, "schema_version"));
          assertEquals("application/json", TopicReader.header(record, "content-type"));
          // entity time in the envelope and a header; the record's time is when it was written (retention counts
          // from there)
          assertEquals(envelope.path("timestamp").asText(), TopicReader.header(record, "entity_time"));
          assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, record.timestampType());
          assertTrue(record.timestamp() >= started, "written at " + record.timestamp() + ", after " + started);
        }
      }
      assertEquals(1, commitPartitions.size(), "one repository, one partition");
      List<String> newestFirst = new ArrayList<>(repository.commitShas(0, 20_000));
      java.util.Collections.reverse(newestFirst);
      assertEquals(newestFirst, shas, "commits in collection order, exactly once");

      Set<Long> numbers = new HashSet<>();
      Set<Integer> pullPartitions = new HashSet<>();
      long previous = 0;
      for (ConsumerRecord<String, byte[]> record : pulls) {
        if (record.key().equals(id)) {
          long number = JSON.readTree(record.value()).path("data").path("number").asLong();
          assertTrue(number > previous, "pull requests in collection order (by creation)");
          previous = number;
          numbers.add(number);
          pullPartitions.add(record.partition());
        }
      }
      assertEquals(repository.pullRequestVersions().keySet(), numbers);
      assertEquals(1, pullPartitions.size());
      assertEquals(1 + 25, repositories.stream().filter(r -> r.key().equals(id)).count(),
          "repository metadata and 25 contributors");

      long neighbourCommits = commits.stream().filter(r -> r.key().equals("github:github.com/acme/neighbour"))
          .count();
      assertEquals(other.commitCount(), neighbourCommits);
      for (ConsumerRecord<String, byte[]> record : repositories) {
        assertEquals(List.of(), EnvelopeSchemas.violations(JSON.readTree(record.value())));
      }
    }
  }
}
