package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the server is collecting: it stops taking requests, ends the collection after the page in flight,
 * flushes and exits; the saved cursors match what the sink holds, so a restart resumes with no loss and no duplicate.
 */
class GracefulShutdownIT {
  private static final String GITHUB_TOKEN = "ghp_gracefulShutdownToken";
  private static final Secret JWT = Secret.of("graceful-shutdown-secret-of-32-bytes-or-more");

  @Test
  void sigtermDuringASyncExitsCleanlyAndARestartResumes(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).latency(Duration.ofMillis(4))
        .start()) {
      SimulatedRepository repository = simulator.addRepository("acme/long", RepositorySpec.of(15_000, 200, 1));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path data = work.resolve("data");
      Map<String, String> env = Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", GITHUB_TOKEN,
          "JWT_SECRET_KEY", JWT.reveal(), "PORT", Integer.toString(port), "COLLECTOR_DATA_DIR", data.toString());
      ChildJvm server = ChildJvm.start(work, env, List.of(), "serve", "--host", "127.0.0.1");
      HttpClient http = HttpClient.newHttpClient();
      String token = JwtAuthenticator.mint(JWT, "test", Set.of(JwtAuthenticator.TRIGGER), Duration.ofMinutes(5));
      HttpRequest trigger = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/collect/trigger"))
          .header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"repository_url\":\"https://github.com/acme/long\"}")).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      HttpResponse<String> accepted = null;
      while (accepted == null) {
        try {
          accepted = http.send(trigger, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notListeningYet) {
          assertTrue(System.nanoTime() < deadline && server.isAlive(), server::stderr);
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      }
      assertEquals(202, accepted.statusCode(), accepted.body());
      while (EnvelopeFiles.countLines(data, "git.commits") < 2_000) {
        assertTrue(System.nanoTime() < deadline && server.isAlive(), server::stderr);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      server.terminate();
      int exit = server.await();
      assertEquals(143, exit, "terminated by SIGTERM after its shutdown hook ran: " + server.stderr());
      assertTrue(server.stderr().contains("stopped cleanly"), server.stderr());
      // at info by default: the collection's start, as JSON, with its repository in the logging context
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      List<JsonNode> logLines = new java.util.ArrayList<>();
      for (String line : server.stderr().lines().filter(l -> l.startsWith("{")).toList()) {
        logLines.add(json.readTree(line));
      }
      assertTrue(logLines.stream().anyMatch(line -> line.path("level").asText().equals("INFO")
          && line.path("formattedMessage").asText().startsWith("collection of github:github.com/acme/long started")
          && line.toString().contains("\"repository_id\":\"github:github.com/acme/long\"")
          && line.path("mdc").path("job_id").asText().matches("[0-9a-f]{12}")), "with its job: " + server.stderr());
      assertTrue(logLines.stream().anyMatch(line -> line.toString().contains("\"stream\":\"commits\"")
          || line.path("formattedMessage").asText().contains("failed after")), "a line from the collection's end: "
          + server.stderr());
      long delivered = EnvelopeFiles.countLines(data, "git.commits");
      assertTrue(delivered < 15_000, "the sync was stopped before the end");

      ChildJvm restart = ChildJvm.start(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN",
          GITHUB_TOKEN), List.of(), "collect", "https://github.com/acme/long", "--data-dir", data.toString());
      assertEquals(0, restart.await(), restart::stderr);
      assertFalse(restart.stderr().contains("\"level\":\"INFO\""), "the command line stays at warn: "
          + restart.stderr());
      List<JsonNode> commits = EnvelopeFiles.read(data, "git.commits");
      Set<String> shas = new HashSet<>();
      commits.forEach(e -> shas.add(e.path("data").path("sha").asText()));
      assertEquals(repository.commitShas(), shas);
      assertEquals(shas.size(), commits.size(), "cursors matched the sink: nothing delivered twice");
    }
  }
}
