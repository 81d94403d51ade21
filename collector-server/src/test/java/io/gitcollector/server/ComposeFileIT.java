package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose.yaml} as Compose reads it ({@code docker-compose config} from Debian's package, which
 * {@code .ci/run} installs where missing; no Docker engine is needed to read a file): valid, a health check on every
 * service, Kafka's and every collector's data on volumes, the JVM options the README recommends; and the collectors'
 * health check, run for real, passes against a healthy server and fails once it stops.
 */
class ComposeFileIT {
  private static final Path COMPOSE = Path.of("..", "deploy", "compose.yaml");
  private static final String JVM_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";

  @TempDir Path data;

  @Test
  void composeReadsTheFileAndEveryServiceIsCheckedAndKeepsItsData() throws Exception {
    Path composeCommand = Path.of("/usr/bin/docker-compose");
    assertTrue(Files.isExecutable(composeCommand), "the Compose test needs Debian's docker-compose package"
        + " (apt-get install -y docker-compose; .ci/run installs it)");
    Process config = new ProcessBuilder(composeCommand.toString(), "-f", COMPOSE.toString(), "config")
        .redirectErrorStream(true).start();
    config.getOutputStream().close();
    String rendered = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(config.waitFor(60, TimeUnit.SECONDS));
    // JWT_SECRET_KEY is required (${JWT_SECRET_KEY:?…}); without it Compose must refuse, naming it
    assertEquals(1, config.exitValue(), rendered);
    assertTrue(rendered.contains("JWT_SECRET_KEY"), rendered);

    ProcessBuilder withSecret = new ProcessBuilder(composeCommand.toString(), "-f", COMPOSE.toString(), "config")
        .redirectErrorStream(true);
    withSecret.environment().put("JWT_SECRET_KEY", "a-compose-test-secret-of-at-least-32-bytes");
    Process valid = withSecret.start();
    valid.getOutputStream().close();
    String effective = new String(valid.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(valid.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, valid.exitValue(), effective);

    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(effective);
    JsonNode services = compose.path("services");
    assertEquals(List.of("collector-a", "collector-b", "kafka", "redis"), names(services));
    List<String> volumes = names(compose.path("volumes"));
    services.fields().forEachRemaining(service -> {
      JsonNode check = service.getValue().path("healthcheck");
      assertTrue(check.path("test").isArray() && check.path("test").size() > 1, service.getKey() + " has no health"
          + " check");
      service.getValue().path("volumes").forEach(volume -> assertTrue(volumes.contains(volume.asText()
          .split(":")[0]), service.getKey() + " mounts an undeclared volume " + volume));
    });
    JsonNode kafka = services.path("kafka");
    String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
    assertTrue(mounts(kafka, logDirs), "Kafka's log directory " + logDirs + " is on a volume");
    for (String collector : List.of("collector-a", "collector-b")) {
      JsonNode service = services.path(collector);
      assertEquals(JVM_OPTIONS, service.path("environment").path("JAVA_TOOL_OPTIONS").asText(), collector);
      assertTrue(mounts(service, "/var/lib/git-collector"), collector + " keeps its data directory on a volume");
      assertEquals("service_healthy", service.path("depends_on").path("kafka").path("condition").asText());
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains(JVM_OPTIONS), "the README recommends the JVM options Compose and the image use");
    String pom = Files.readString(Path.of("pom.xml"));
    for (String option : JVM_OPTIONS.split(" ")) {
      assertTrue(pom.contains("<jvmFlag>" + option + "</jvmFlag>"), "the image sets " + option);
    }

    // the collectors' health check, as the container runs it, against a real server
    List<String> check = new ArrayList<>();
    services.path("collector-a").path("healthcheck").path("test").forEach(part -> check.add(part.asText()));
    assertEquals("CMD", check.get(0));
    InProcessServer server = InProcessServer.start(Map.of("COLLECTOR_DATA_DIR", data.toString(), "JWT_SECRET_KEY",
        "a-compose-test-secret-of-at-least-32-bytes"));
    List<String> onThisPort = check.subList(1, check.size()).stream()
        .map(part -> part.replace("127.0.0.1/8080", "127.0.0.1/" + server.api().port())).toList();
    try {
      assertEquals(0, run(onThisPort), "healthy server: the check passes");
    } finally {
      server.close();
    }
    assertFalse(run(onThisPort) == 0, "stopped server: the check fails");
  }

  private static int run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the health check returns within its timeout");
    return process.exitValue();
  }

  private static boolean mounts(JsonNode service, String path) {
    for (JsonNode volume : service.path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(path)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.stream().sorted().toList();
  }
}
