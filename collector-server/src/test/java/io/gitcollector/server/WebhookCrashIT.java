package io.gitcollector.server;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with kill -9 right after it answered {@code 202} to a burst of webhook deliveries: after a restart
 * on the same data directory, every accepted delivery is acted on (each pull request it named is fetched).
 */
class WebhookCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GITHUB_TOKEN = "ghp_webhookCrashToken";
  static final Secret WEBHOOK_SECRET = Secret.of("webhook-crash-secret");
  private static final int DELIVERIES = 30;
  private final HttpClient http = HttpClient.newHttpClient();


  /** The published {@code pull_request.opened} example, about pull request {@code number}. */
  static byte[] pullRequestDelivery(long number) throws Exception {
    try (InputStream in = WebhookCrashIT.class.getResourceAsStream(
        "/github-examples/webhooks/pull_request.opened.0.json")) {
      ObjectNode body = (ObjectNode) JSON.readTree(in);
      body.put("number", number);
      ((ObjectNode) body.path("pull_request")).put("number", number);
      return JSON.writeValueAsBytes(body);
    }
  }

  static HttpResponse<String> deliver(HttpClient http, int port, String id, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/github"))
        .header("X-GitHub-Event", "pull_request").header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", WebhookSignatures.sha256(body, WEBHOOK_SECRET))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static Set<Long> refreshedPullRequests(Path... data) {
    Set<Long> numbers = new TreeSet<>();
    for (Path directory : data) {
      for (JsonNode envelope : EnvelopeFiles.read(directory, "git.pull_requests")) {
        numbers.add(envelope.path("data").path("number").asLong());
      }
    }
    return numbers;
  }

  private ChildJvm start(Path work, Path data, int port, GitHubSimulator simulator) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JWT_SECRET_KEY", "webhook-crash-jwt-secret-of-at-least-32-bytes");
    env.put("PORT", Integer.toString(port));
    env.put("COLLECTOR_DATA_DIR", data.toString());
    env.put("GITHUB_API_URL", simulator.apiBaseUrl());
    env.put("GITHUB_TOKEN", GITHUB_TOKEN);
    env.put("GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET.reveal());
    env.put("COLLECTOR_WORKERS", "1");
    ChildJvm process = ChildJvm.start(work, env, List.of(), "serve", "--host", "127.0.0.1");
    ServerTestSupport.awaitTrue(() -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    }, "the server to listen", process);
    return process;
  }

  @Test
  void deliveriesAnsweredBeforeAKillAreActedOnAfterTheRestart(@TempDir Path work) throws Exception {
    // slow enough that one worker cannot have refreshed the burst before the kill
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).latency(Duration.ofMillis(150))
        .start()) {
      simulator.addRepository("Codertocat/Hello-World", RepositorySpec.of(10, DELIVERIES, 1));
      Path data = work.resolve("data");
      int port = ServerTestSupport.freePort();
      ChildJvm server = start(work, data, port, simulator);
      for (int i = 1; i <= DELIVERIES; i++) {
        HttpResponse<String> answer = deliver(http, port, "crash-" + i, pullRequestDelivery(i));
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals("accepted", JSON.readTree(answer.body()).path("status").asText());
      }
      server.kill();
      int beforeKill = refreshedPullRequests(data).size();
      System.out.printf("webhook crash: %d of %d accepted deliveries acted on before kill -9%n", beforeKill,
          DELIVERIES);
      assertTrue(beforeKill < DELIVERIES, "the kill came while deliveries were still queued: " + beforeKill);

      ChildJvm restarted = start(work, data, port, simulator);
      try {
        Set<Long> expected = LongStream.rangeClosed(1, DELIVERIES).boxed().collect(Collectors.toCollection(TreeSet::new));
        ServerTestSupport.awaitTrue(() -> refreshedPullRequests(data).equals(expected), "every accepted delivery to be acted on",
            restarted);
        // the platform's redelivery of an accepted delivery is a duplicate: the work was not lost, so none is needed
        assertEquals("duplicate", JSON.readTree(deliver(http, port, "crash-1", pullRequestDelivery(1)).body())
            .path("status").asText());
        ReliabilityLog.record(new ReliabilityLog.Row("4-webhooks-crash", "a server (embedded default) killed with"
            + " kill -9 right after answering 202 to a burst of webhook deliveries, then started again", DELIVERIES,
            DELIVERIES, beforeKill + " acted on before the kill; all " + DELIVERIES + " after the restart"));
      } finally {
        restarted.kill();
      }
    }
  }

}
