package io.gitcollector.server;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.redis.TestRedis;
import io.gitcollector.server.http.JwtAuthenticator;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server instances sharing one Redis, as deployed: webhook deliveries to either instance are acted on through the
 * shared job queue, each once, and those an instance accepted before it was killed are done by the other; a Redis
 * restarted without persistence under running instances is recovered from without an operator.
 */
class SharedModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GITHUB_TOKEN = "ghp_sharedModeToken";
  private static final Secret JWT = Secret.of("shared-mode-secret-of-at-least-32-bytes!");
  private final HttpClient http = HttpClient.newHttpClient();
  private final String token = JwtAuthenticator.mint(JWT, "test",
      Set.of(JwtAuthenticator.READ, JwtAuthenticator.TRIGGER), Duration.ofMinutes(10));

  private record Instance(String name, ChildJvm process, int port, Path data) {}

  private Instance start(Path work, String name, TestRedis redis, GitHubSimulator simulator) throws Exception {
    int port = ServerTestSupport.freePort();
    Path data = work.resolve(name);
    Map<String, String> env = ServerTestSupport.sharedInstance(name, redis.url(), JWT.reveal(), port, data,
        simulator.apiBaseUrl(), GITHUB_TOKEN);
    env.put("GITHUB_WEBHOOK_SECRET", WebhookCrashIT.WEBHOOK_SECRET.reveal());
    ChildJvm process = ChildJvm.start(work, env, List.of(), "serve", "--host", "127.0.0.1");
    Instance instance = new Instance(name, process, port, data);
    ServerTestSupport.awaitTrue(() -> get(instance, "/health").statusCode() == 200, name + " to listen", process);
    return instance;
  }

  private HttpResponse<String> get(Instance instance, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      return new ServerTestSupport.NoResponse();
    }
  }

  private HttpResponse<String> post(Instance instance, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] pushDelivery(String fullName) throws Exception {
    try (InputStream in = SharedModeIT.class.getResourceAsStream("/github-examples/webhooks/push.0.json")) {
      ObjectNode body = (ObjectNode) JSON.readTree(in);
      ObjectNode repository = (ObjectNode) body.path("repository");
      repository.put("html_url", "https://github.com/" + fullName);
      repository.put("full_name", fullName);
      return JSON.writeValueAsBytes(body);
    }
  }

  private HttpResponse<String> deliverPush(Instance instance, String id, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + "/webhooks/github"))
        .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", WebhookSignatures.sha256(body, WebhookCrashIT.WEBHOOK_SECRET))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** pull-request number → envelopes across the instances' sinks. */
  private static Map<Long, Integer> pullRequestEnvelopes(Instance... instances) {
    Map<Long, Integer> counts = new TreeMap<>();
    for (Instance instance : instances) {
      for (JsonNode envelope : EnvelopeFiles.read(instance.data, "git.pull_requests")) {
        if (envelope.path("repository_id").asText().equals("github:github.com/codertocat/hello-world")) {
          counts.merge(envelope.path("data").path("number").asLong(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static Map<String, Integer> repositoryEnvelopes(Instance... instances) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Instance instance : instances) {
      for (JsonNode envelope : EnvelopeFiles.read(instance.data, "git.repositories")) {
        if (envelope.path("event_type").asText().equals("repository_updated")) {
          counts.merge(envelope.path("repository_id").asText(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static Set<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }

  @Test
  void deliveriesToEitherInstanceAreActedOnOnceAndAKilledInstancesAreDoneByTheOther(@TempDir Path work)
      throws Exception {
    try (TestRedis redis = TestRedis.start();
        GitHubSimulator simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).latency(Duration.ofMillis(40))
            .start()) {
      simulator.addRepository("Codertocat/Hello-World", RepositorySpec.of(10, 40, 1));
      for (int i = 0; i < 4; i++) {
        simulator.addRepository("fleet/pushed-" + i, RepositorySpec.of(50, 2, 1));
      }
      Instance a = start(work, "a", redis, simulator);
      Instance b = start(work, "b", redis, simulator);
      try {
        long started = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
          Instance to = i % 2 == 0 ? a : b;
          HttpResponse<String> answer = WebhookCrashIT.deliver(http, to.port, "shared-" + i,
              WebhookCrashIT.pullRequestDelivery(i));
          assertEquals("accepted", JSON.readTree(answer.body()).path("status").asText(), answer.body());
        }
        for (int i = 0; i < 4; i++) {
          HttpResponse<String> answer = deliverPush(i % 2 == 0 ? b : a, "push-" + i, pushDelivery("fleet/pushed-" + i));
          assertEquals("accepted", JSON.readTree(answer.body()).path("status").asText(), answer.body());
        }
        ServerTestSupport.awaitTrue(() -> pullRequestEnvelopes(a, b).keySet().equals(range(1, 20))
            && repositoryEnvelopes(a, b).size() == 4, "every delivery to be acted on", a.process, b.process);
        System.out.printf("shared mode: 24 deliveries to two instances acted on in %d ms%n",
            (System.nanoTime() - started) / 1_000_000);
        pullRequestEnvelopes(a, b).forEach((number, count) ->
            assertEquals(1, count, "pull request " + number + " refetched exactly once"));
        repositoryEnvelopes(a, b).forEach((repository, count) ->
            assertEquals(1, count, repository + " collected exactly once"));
        // the story at info: each delivery acted on, each lease taken, and the collection's lines with their job
        List<JsonNode> logs = new java.util.ArrayList<>();
        for (String line : (a.process.stderr() + b.process.stderr()).lines().filter(l -> l.startsWith("{")).toList()) {
          logs.add(JSON.readTree(line));
        }
        List<String> messages = logs.stream().map(line -> line.path("formattedMessage").asText()).toList();
        for (int i = 0; i < 4; i++) {
          String repository = "github:github.com/fleet/pushed-" + i;
          String delivery = "webhook github delivery push-" + i + " (push): sync_repository of " + repository;
          assertTrue(messages.contains(delivery), "the delivery acted on: " + messages);
          assertTrue(messages.stream().anyMatch(m -> m.startsWith("lease of " + repository + " taken (fencing token")),
              "the lease taken: " + messages);
        }
        assertTrue(logs.stream().anyMatch(line -> line.path("formattedMessage").asText()
            .startsWith("collection of github:github.com/fleet/pushed-0 started")
            && !line.path("mdc").path("job_id").asText().isEmpty()), "the collection's lines carry their job");

        // a burst accepted by b, which is killed at once: a does the work b took (after the lease time) and the rest
        for (int i = 21; i <= 40; i++) {
          assertEquals(202, WebhookCrashIT.deliver(http, b.port, "burst-" + i, WebhookCrashIT.pullRequestDelivery(i))
              .statusCode());
        }
        b.process.kill();
        ServerTestSupport.awaitTrue(() -> pullRequestEnvelopes(a, b).keySet().containsAll(range(21, 40)),
            "the survivor to act on every delivery the killed instance accepted", a.process);
        int duplicates = range(21, 40).stream().mapToInt(n -> pullRequestEnvelopes(a, b).get(n) - 1).sum();
        ReliabilityLog.record(new ReliabilityLog.Row("4-webhooks-shared", "webhook deliveries to either of two server"
            + " instances on one Redis, then a burst to one instance killed with kill -9 right after its answers",
            44, 44, "24 deliveries acted on once each (no duplicate); the 20 the killed instance accepted were all"
            + " done by the other (" + duplicates + " twice)"));
      } finally {
        a.process.kill();
        b.process.kill();
      }
    }
  }

  @Test
  void aRedisRestartedWithoutItsDataIsRecoveredFromByTheRunningInstances(@TempDir Path work) throws Exception {
    redisRestart(work, false);
  }

  @Test
  void aRedisRestartedWithItsAppendOnlyFileLosesNothingAndRedoesNothing(@TempDir Path work) throws Exception {
    redisRestart(work, true);
  }

  private void redisRestart(Path work, boolean persistent) throws Exception {
    try (TestRedis redis = persistent ? TestRedis.start(work.resolve("redis")) : TestRedis.start();
        GitHubSimulator simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).start()) {
      for (int i = 0; i < 3; i++) {
        simulator.addRepository("fleet/kept-" + i, RepositorySpec.of(100, 5, 1));
      }
      simulator.addRepository("fleet/after-restart", RepositorySpec.of(100, 5, 1));
      Instance a = start(work, "a", redis, simulator);
      Instance b = start(work, "b", redis, simulator);
      try {
        for (int i = 0; i < 3; i++) {
          assertEquals(201, post(i % 2 == 0 ? a : b, "/api/v1/repositories",
              "{\"url\":\"https://github.com/fleet/kept-" + i + "\"}").statusCode());
        }
        ServerTestSupport.awaitTrue(() -> repositoryEnvelopes(a, b).size() == 3, "the subscriptions to be collected",
            a.process, b.process);
        // both instances have passed their scheduler since: they know the epoch and remember the subscriptions
        for (Instance instance : List.of(a, b)) {
          ServerTestSupport.awaitTrue(() -> {
            try {
              JsonNode recovery = JSON.readTree(get(instance, "/health").body()).path("job_queue").path("recovery");
              return recovery.path("epoch_known").asBoolean() && recovery.path("subscriptions_remembered").asInt() == 3;
            } catch (java.io.IOException e) {
              return false;
            }
          }, instance.name + " to remember the subscriptions", instance.process);
        }

        redis.stop();
        ServerTestSupport.awaitTrue(() -> get(a, "/health").statusCode() == 503, "a's health to say Redis is down",
            a.process);
        JsonNode down = JSON.readTree(get(a, "/health").body());
        assertEquals("down", down.path("state_store").path("status").asText(), down.toString());
        long stopped = System.nanoTime();
        redis.restart(); // empty: no persistence

        ServerTestSupport.awaitTrue(() -> get(a, "/health").statusCode() == 200 && get(b, "/health").statusCode() == 200,
            "both instances to be healthy again", a.process, b.process);
        JsonNode up = JSON.readTree(get(a, "/health").body());
        assertEquals("up", up.path("job_queue").path("status").asText(), up.toString());
        ServerTestSupport.awaitTrue(() -> {
          HttpResponse<String> list = get(a, "/api/v1/repositories");
          try {
            return list.statusCode() == 200 && JSON.readTree(list.body()).path("repositories").size() == 3;
          } catch (Exception e) {
            return false;
          }
        }, "the subscriptions to be restored", a.process, b.process);
        if (!persistent) {
          // their cursors were lost with Redis's data: each is collected again from the start
          ServerTestSupport.awaitTrue(() -> repositoryEnvelopes(a, b).values().stream().allMatch(count -> count >= 2),
              "the restored subscriptions to be collected again", a.process, b.process);
        }
        assertEquals(202, post(b, "/api/v1/collect/trigger",
            "{\"repository_url\":\"https://github.com/fleet/after-restart\"}").statusCode());
        ServerTestSupport.awaitTrue(() -> repositoryEnvelopes(a, b).containsKey("github:github.com/fleet/after-restart"),
            "a trigger after the restart to be acted on", a.process, b.process);
        long resumedMillis = (System.nanoTime() - stopped) / 1_000_000;
        int redone = repositoryEnvelopes(a, b).entrySet().stream()
            .filter(e -> !e.getKey().endsWith("after-restart")).mapToInt(e -> e.getValue() - 1).sum();
        if (persistent) {
          assertEquals(0, redone, "nothing collected again: " + repositoryEnvelopes(a, b));
        }
        ReliabilityLog.record(new ReliabilityLog.Row(persistent ? "3-redis-restart-aof" : "3-redis-restart-empty",
            "Redis stopped under two running server instances and started again " + (persistent
                ? "with its append-only file (`appendfsync always`)" : "without persistence (empty)"), 1, 1,
            "health 503 naming the state store while down; work resumed " + resumedMillis + " ms after the restart;"
                + (persistent ? " nothing lost, nothing redone" : " nothing lost: the 3 subscriptions restored from"
                + " the instances' memory and collected again (" + redone + " repository envelopes redone), the"
                + " job queue's group created again")));
        for (Instance instance : List.of(a, b)) {
          long noGroup = instance.process.stderr().lines().filter(line -> line.contains("NOGROUP")).count();
          assertTrue(noGroup <= 4, instance.name + " logged NOGROUP " + noGroup + " times");
        }
      } finally {
        a.process.kill();
        b.process.kill();
      }
    }
  }

}
