package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import io.gitcollector.core.model.SinkException;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Years-old entities collected into a broker that checks retention every second, with the broker's own defaults
 * (7 days, {@code CreateTime}): everything collected is still readable after several retention checks, whether the
 * sink created the topics or an operator did with the broker's defaults. The sink names topics whose configs delete
 * or compact records, and refuses them when told to.
 */
class KafkaRetentionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghp_retentionToken";
  private static InProcessKafka kafka;
  private static GitHubSimulator simulator;
  private static PlatformConfig github;

  @BeforeAll
  static void start() throws Exception {
    // broker defaults otherwise: log.retention.hours=168, message.timestamp.type=CreateTime
    kafka = InProcessKafka.start(Map.of("log.retention.check.interval.ms", "500",
        "log.initial.task.delay.ms", "0"));
    simulator = GitHubSimulator.builder().token(TOKEN).start();
    github = PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl()).build();
  }

  private static final java.util.concurrent.atomic.AtomicInteger retentionCases =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger retentionHeld =
      new java.util.concurrent.atomic.AtomicInteger();

  @AfterAll
  static void stop() throws Exception {
    if (retentionCases.get() > 0) {
      ReliabilityLog.record(new ReliabilityLog.Row("2-kafka-retention", "entities dated 2020 collected into a"
          + " broker with its default 7-day retention checked every 500 ms: topics the sink created, and topics an"
          + " operator created with the broker's defaults", retentionCases.get(), retentionHeld.get(),
          "every record still readable after 6 retention checks; record times are write times"));
    }
    simulator.close();
    kafka.close();
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static Set<String> shas(String topic, String repositoryId) throws Exception {
    Set<String> shas = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka.bootstrapServers(), topic)) {
      if (record.key().equals(repositoryId)) {
        shas.add(JSON.readTree(record.value()).path("data").path("sha").asText());
      }
    }
    return shas;
  }

  /**
   * Watches the records stay readable while the broker runs its retention check several times (every 500 ms here):
   * {@code readable} must hold throughout 3 s, or the wait fails.
   */
  private static void letRetentionRun(java.util.concurrent.Callable<Boolean> readable) {
    org.awaitility.Awaitility.await("records readable through 6 retention checks").during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(750)).until(readable);
  }

  @Test
  void historyFromYearsAgoSurvivesRetentionChecksInTopicsTheSinkCreated(@TempDir Path state) throws Exception {
    String prefix = "created.";
    SimulatedRepository repository = simulator.addRepository("acme/old-history", RepositorySpec.of(3_000, 300, 1));
    assertTrue(repository.createdAt().isBefore(Instant.now().minus(Duration.ofDays(365))), "entities years old");
    KafkaSinkConfig sinkConfig = KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topicPrefix(prefix)
        .deadLetterTopic(prefix + "dlq").createTopics(2, (short) 1).build();
    try (GitCollector collector = GitCollector.builder().platform("github", github)
        .sink(KafkaSinkProvider.create(sinkConfig)).dataDirectory(state).build()) {
      collector.sync("https://github.com/acme/old-history", SyncMode.FULL);
    }
    letRetentionRun(() -> shas(prefix + "git.commits", "github:github.com/acme/old-history").size()
        == repository.commitCount());

    Set<String> kept = shas(prefix + "git.commits", "github:github.com/acme/old-history");
    int pullsKept = TopicReader.readAll(kafka.bootstrapServers(), prefix + "git.pull_requests").size();
    retentionCases.incrementAndGet();
    if (kept.equals(repository.commitShas()) && pullsKept == repository.pullRequestVersions().size()) {
      retentionHeld.incrementAndGet();
    }
    assertEquals(repository.commitShas(), kept);
    assertEquals(repository.pullRequestVersions().size(), pullsKept);
    try (Admin admin = admin()) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "git.commits");
      Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
      assertEquals("-1", config.get("retention.ms").value());
      assertEquals("-1", config.get("retention.bytes").value());
      assertEquals("delete", config.get("cleanup.policy").value());
      assertEquals("LogAppendTime", config.get("message.timestamp.type").value());
    }
  }

  @Test
  void topicsAnOperatorCreatedWithBrokerDefaultsKeepTheHistoryAndAreNamedAtStartUp(@TempDir Path state)
      throws Exception {
    String prefix = "operator.";
    SimulatedRepository repository = simulator.addRepository("acme/operator-topics", RepositorySpec.of(1_500, 100, 1));
    KafkaSinkConfig.Builder builder = KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topicPrefix(prefix).deadLetterTopic(prefix + "dlq");
    try (Admin admin = admin()) {
      admin.createTopics(builder.build().allTopics().stream().map(topic -> new NewTopic(topic, 1, (short) 1))
          .toList()).all().get(30, TimeUnit.SECONDS);
    }

    InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
        () -> KafkaSinkProvider.create(builder.retentionCheck(KafkaSinkConfig.RetentionCheck.REFUSE).build()));
    assertTrue(refused.getMessage().contains("'operator.git.commits' deletes records 7 day(s) after they are written"
        + " (retention.ms=604800000)"), refused.getMessage());

    try (GitCollector collector = GitCollector.builder().platform("github", github)
        .sink(KafkaSinkProvider.create(builder.retentionCheck(KafkaSinkConfig.RetentionCheck.WARN).build()))
        .dataDirectory(state).build()) {
      collector.sync("https://github.com/acme/operator-topics", SyncMode.FULL);
    }
    letRetentionRun(() -> shas(prefix + "git.commits", "github:github.com/acme/operator-topics").size()
        == repository.commitCount());
    // CreateTime topics: the record time is the producer's send time, so 7 days count from the collection
    Set<String> kept = shas(prefix + "git.commits", "github:github.com/acme/operator-topics");
    retentionCases.incrementAndGet();
    if (kept.equals(repository.commitShas())) {
      retentionHeld.incrementAndGet();
    }
    assertEquals(repository.commitShas(), kept);
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka.bootstrapServers(), prefix + "git.commits")) {
      assertTrue(record.timestamp() > System.currentTimeMillis() - Duration.ofMinutes(5).toMillis(),
          "stamped when written: " + Instant.ofEpochMilli(record.timestamp()));
    }
  }

  @Test
  void aBrokerThatRefusesRecordsFailsTheSyncWithItsReasonAndTheRerunLosesNothing(@TempDir Path state)
      throws Exception {
    String prefix = "refusing.";
    SimulatedRepository repository = simulator.addRepository("acme/refused", RepositorySpec.of(700, 20, 1));
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(prefix + "git.commits", 1, (short) 1).configs(Map.of(
          "message.timestamp.type", "CreateTime", "message.timestamp.before.max.ms", "0")))).all()
          .get(30, TimeUnit.SECONDS);
    }
    KafkaSinkConfig sinkConfig = KafkaSinkConfig.builder(kafka.bootstrapServers())
        .topicPrefix(prefix)
        .deadLetterTopic(prefix + "dlq").createTopics(1, (short) 1).deliveryTimeout(Duration.ofSeconds(10)).build();
    String url = "https://github.com/acme/refused";
    try (GitCollector collector = GitCollector.builder().platform("github", github)
        .sink(KafkaSinkProvider.create(sinkConfig)).dataDirectory(state).build()) {
      SinkException failure = assertThrows(SinkException.class, () -> collector.sync(url, SyncMode.FULL));
      assertTrue(failure.getMessage().contains("Kafka refused commit_created")
          && failure.getMessage().contains("out of range"), failure.getMessage());
    }
    assertEquals(0, TopicReader.readAll(kafka.bootstrapServers(), prefix + "dlq").size(), "nothing dead-lettered");

    try (Admin admin = admin()) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "git.commits"),
          List.of(new AlterConfigOp(new ConfigEntry("message.timestamp.before.max.ms", ""),
              AlterConfigOp.OpType.DELETE)))).all().get(30, TimeUnit.SECONDS);
    }
    // an incremental run: it resumes from the cursors, which never moved past the refused records
    try (GitCollector collector = GitCollector.builder().platform("github", github)
        .sink(KafkaSinkProvider.create(sinkConfig)).dataDirectory(state).build()) {
      collector.sync(url, SyncMode.INCREMENTAL);
    }
    Set<String> collected = shas(prefix + "git.commits", "github:github.com/acme/refused");
    ReliabilityLog.record(new ReliabilityLog.Row("2-kafka-refused-timestamps", "a broker refusing every record's"
        + " timestamp (KIP-937 `message.timestamp.before.max.ms`), then its config fixed and the sync run again", 1,
        collected.equals(repository.commitShas()) ? 1 : 0, "the sync failed with the broker's reason, 0 records"
        + " dead-lettered, no cursor moved; the incremental rerun delivered all " + collected.size() + " commits"));
    assertEquals(repository.commitShas(), collected);
  }

  @Test
  void aCompactedTopicIsRefusedWhenRetentionIsChecked() throws Exception {
    String prefix = "compacted.";
    KafkaSinkConfig config = KafkaSinkConfig.builder(kafka.bootstrapServers()).topicPrefix(prefix)
        .deadLetterTopic(prefix + "dlq").retentionCheck(KafkaSinkConfig.RetentionCheck.REFUSE).build();
    try (Admin admin = admin()) {
      admin.createTopics(config.allTopics().stream().map(topic -> new NewTopic(topic, 1, (short) 1).configs(
          topic.equals(prefix + "git.commits") ? Map.of("cleanup.policy", "compact", "retention.ms", "-1")
              : Map.of("retention.ms", "-1"))).toList()).all().get(30, TimeUnit.SECONDS);
    }
    InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
        () -> KafkaSinkProvider.create(config));
    assertEquals(List.of("Kafka topic 'compacted.git.commits' has cleanup.policy=compact: compaction keeps only the"
            + " newest record of each key, and the key is the repository"),
        List.of(refused.getMessage().substring(0, refused.getMessage().indexOf(" (KAFKA_RETENTION_CHECK"))));
  }
}
