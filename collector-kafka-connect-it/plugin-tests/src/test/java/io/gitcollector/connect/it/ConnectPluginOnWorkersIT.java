package io.gitcollector.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.kafka.InProcessKafka;
import io.gitcollector.kafka.KafkaSinkConfig;
import io.gitcollector.kafka.TopicReader;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged plugin directory on two {@code ConnectDistributed} workers of Kafka 4.3 and of 4.4, loaded by plugin
 * isolation through its own class loader: the connector is created through the REST API, collects a simulated
 * repository, and the worker running its task is killed with kill -9 midway; the other worker takes the task over
 * and the topic ends up holding every commit.
 */
class ConnectPluginOnWorkersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghp_pluginTestToken0123456789";
  private static final int COMMITS = 10_000;

  @ParameterizedTest(name = "Kafka Connect {0}")
  @ValueSource(strings = {"4.4", "4.3"})
  void theConnectorRunsAndSurvivesAWorkerKilledWithKill9(String release, @TempDir Path directory) throws Exception {
    try (InProcessKafka kafka = InProcessKafka.start(Map.of());
        GitHubSimulator github = GitHubSimulator.builder().token(TOKEN).latency(Duration.ofMillis(250)).start()) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        List<NewTopic> topics = new java.util.ArrayList<>();
        for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests", "git.issues",
            "git.ci_runs", "git.deployments", "git.releases", KafkaSinkConfig.DEFAULT_DLQ)) {
          topics.add(new NewTopic(topic, 3, (short) 1).configs(KafkaSinkConfig.DEFAULT_TOPIC_CONFIGS));
        }
        admin.createTopics(topics).all().get();
      }
      SimulatedRepository repository = github.addRepository("acme/big", RepositorySpec.of(COMMITS, 100, 1));
      String group = "connect-" + release.replace('.', '-');
      // the connector is created on one worker, and a second joins once its task runs, as a cluster grows
      try (ConnectWorker first = ConnectWorker.start(release, kafka.bootstrapServers(), group, directory)) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(first::answers);

        JsonNode plugins = JSON.readTree(first.get("/connector-plugins").body());
        JsonNode ours = null;
        for (JsonNode plugin : plugins) {
          if (plugin.path("class").asText().equals("io.gitcollector.connect.GitCollectorSourceConnector")) {
            ours = plugin;
          }
        }
        assertTrue(ours != null, "the worker loaded the plugin: " + plugins);
        // read from the plugin's own resources, not from Kafka's AppInfoParser (moved in 4.4)
        assertEquals(System.getProperty("gitcollector.connect.version"), ours.path("version").asText());

        ObjectNode config = JSON.createObjectNode();
        config.put("connector.class", "io.gitcollector.connect.GitCollectorSourceConnector");
        config.put("tasks.max", "1");
        config.put("repositories", "https://github.com/acme/big");
        config.put("kinds", "repository,commits,pull_requests");
        config.put("github.token", TOKEN);
        config.put("github.api.url", github.apiBaseUrl());
        config.put("poll.interval.ms", "3600000");
        // an adapter's own setting, derived like the others: history read one page at a time, so that the kill
        // falls midway (read ahead, the simulator's history is collected before the second worker has started)
        config.put("github.history.prefetch", "0");
        var created = first.put("/connectors/git/config", config.toString());
        assertTrue(created.statusCode() == 201 || created.statusCode() == 200, created.body());

        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !taskWorkerOrEmpty(first).isEmpty());
        try (ConnectWorker second = ConnectWorker.start(release, kafka.bootstrapServers(), group, directory)) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(second::answers);
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> TopicReader.readAll(kafka.bootstrapServers(), "git.commits").size() > 400);
        String runningOn = taskWorker(first, second);
        ConnectWorker victim = runningOn.equals(first.id()) ? first : second;
        ConnectWorker survivor = victim == first ? second : first;
        // midway, and after the worker committed an offset of the commits stream (every second): what a kill costs
        // is what was written since
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
            .until(() -> committedCommitsOffset(kafka, group));
        victim.kill();
        int atKill = TopicReader.readAll(kafka.bootstrapServers(), "git.commits").size();
        assertTrue(atKill < COMMITS, "killed midway, after " + atKill + " of " + COMMITS + " commits");

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> survivor.id().equals(taskWorkerOrEmpty(survivor)));
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> shas(kafka).containsAll(repository.commitShas()));
        List<ConsumerRecord<String, byte[]>> commits = TopicReader.readAll(kafka.bootstrapServers(), "git.commits");
        Set<String> eventIds = new HashSet<>();
        long duplicates = commits.stream().filter(r -> !eventIds.add(TopicReader.header(r, "event_id"))).count();
        assertEquals(repository.commitShas(), shas(kafka), "every commit, none foreign");
        System.out.printf("connect %s plugin: %d commits, killed after %d, %d written twice%n", release, COMMITS,
            atKill, duplicates);
        }
      }
    }
  }

  /** Whether the workers' offsets topic holds a position of the commits stream, as a restarted task reads it. */
  private static boolean committedCommitsOffset(InProcessKafka kafka, String group) throws Exception {
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka.bootstrapServers(), group + "-offsets")) {
      JsonNode key = JSON.readTree(record.key());
      if (record.value() != null && key.path(1).path("stream").asText().equals("commits")
          && JSON.readTree(record.value()).has("cursor")) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> shas(InProcessKafka kafka) {
    Set<String> shas = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(kafka.bootstrapServers(), "git.commits")) {
      Envelope envelope = EnvelopeCodec.fromJson(record.value());
      shas.add(envelope.data().key());
    }
    return shas;
  }

  private static String taskWorker(ConnectWorker... workers) {
    for (ConnectWorker worker : workers) {
      String id = taskWorkerOrEmpty(worker);
      if (!id.isEmpty()) {
        return id;
      }
    }
    throw new AssertionError("no worker reports the task running");
  }

  /** The worker the connector's task runs on, as {@code worker} reports it; empty while it runs nowhere. */
  private static String taskWorkerOrEmpty(ConnectWorker worker) {
    try {
      var response = worker.get("/connectors/git/status");
      if (response.statusCode() != 200) {
        return "";
      }
      JsonNode tasks = JSON.readTree(response.body()).path("tasks");
      for (JsonNode task : tasks) {
        if (task.path("state").asText().equals("RUNNING")) {
          return task.path("worker_id").asText();
        }
      }
      return "";
    } catch (Exception e) {
      return "";
    }
  }
}
