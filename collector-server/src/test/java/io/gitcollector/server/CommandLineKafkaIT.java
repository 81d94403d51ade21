package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.kafka.InProcessKafka;
import io.gitcollector.kafka.TopicReader;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KAFKA_BROKERS alone makes the command line publish to Kafka; an unreachable broker is a clear error. */
class CommandLineKafkaIT {
  private static final String TOKEN = "ghp_commandLineKafkaToken";

  @Test
  void kafkaBrokersInTheEnvironmentSelectsTheKafkaSink(@TempDir Path work) throws Exception {
    try (InProcessKafka kafka = InProcessKafka.start(Map.of());
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/to-kafka", RepositorySpec.of(420, 12, 1));
      ChildJvm child = ChildJvm.start(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN,
          "KAFKA_BROKERS", kafka.bootstrapServers(), "KAFKA_CREATE_TOPICS", "true"), List.of(),
          "collect", "https://github.com/acme/to-kafka");
      assertEquals(0, child.await(), child::stderr);
      assertEquals(420, TopicReader.readAll(kafka.bootstrapServers(), "git.commits").size());
      assertEquals(12, TopicReader.readAll(kafka.bootstrapServers(), "git.pull_requests").size());
    }
  }

  @Test
  void anUnreachableBrokerIsASinkErrorNamingIt(@TempDir Path work) throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/nowhere", RepositorySpec.of(10, 1, 0));
      ChildJvm child = ChildJvm.start(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN,
          "KAFKA_BROKERS", "127.0.0.1:" + deadPort, "KAFKA_DELIVERY_TIMEOUT_MS", "3000"), List.of(),
          "collect", "https://github.com/acme/nowhere");
      assertEquals(11, child.await(), child::stderr);
      assertTrue(child.stderr().contains("error: cannot reach Kafka at 127.0.0.1:" + deadPort), child.stderr());
    }
  }
}
