package io.gitcollector.connect.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.kafka.InProcessKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's platform plugin (the Gitea example's jar) dropped into the connector's {@code lib/} on a
 * {@code ConnectDistributed} worker: the connector finds it through its own class loader, declares its settings
 * ({@code gitea.token}, {@code gitea.api.url}) and accepts its repositories, with nothing changed in the connector.
 */
class PlatformPluginOnWorkerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONNECTOR = "io.gitcollector.connect.GitCollectorSourceConnector";

  @Test
  void aPlatformPluginInTheLibDirectoryIsConfiguredAndServedByTheConnector(@TempDir Path directory) throws Exception {
    Path plugin = directory.resolve("plugins").resolve("git-collector-connect");
    copy(ConnectWorker.packagedPlugin(), plugin);
    Path gitea = Path.of(System.getProperty("gitcollector.gitea.plugin"));
    Files.copy(gitea, plugin.resolve("lib").resolve(gitea.getFileName()));
    try (InProcessKafka kafka = InProcessKafka.start(Map.of());
        ConnectWorker worker = ConnectWorker.start("4.4", kafka.bootstrapServers(), "connect-gitea", directory,
            plugin)) {
      Awaitility.await().atMost(Duration.ofMinutes(2)).until(worker::answers);

      JsonNode keys = JSON.readTree(worker.get("/connector-plugins/" + CONNECTOR + "/config").body());
      Map<String, String> types = new HashMap<>();
      keys.forEach(key -> types.put(key.path("name").asText(), key.path("type").asText()));
      assertEquals("PASSWORD", types.get("gitea.token"), keys::toString);
      assertEquals("STRING", types.get("gitea.api.url"), keys::toString);

      ObjectNode config = JSON.createObjectNode();
      config.put("name", "gitea");
      config.put("connector.class", CONNECTOR);
      config.put("repositories", "https://git.example.test/team/app");
      config.put("gitea.api.url", "https://git.example.test/api/v1");
      config.put("gitea.token", "gitea-token-for-tests");
      JsonNode accepted = JSON.readTree(worker.put("/connector-plugins/" + CONNECTOR + "/config/validate",
          config.toString()).body());
      assertEquals(0, accepted.path("error_count").asInt(), accepted::toString);

      config.remove("gitea.api.url");
      JsonNode refused = JSON.readTree(worker.put("/connector-plugins/" + CONNECTOR + "/config/validate",
          config.toString()).body());
      assertEquals(1, refused.path("error_count").asInt(), refused::toString);
      assertTrue(refused.toString().contains("https://git.example.test/team/app: "), refused::toString);
      assertTrue(!refused.toString().contains("gitea-token-for-tests"), "no secret in an answer");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
