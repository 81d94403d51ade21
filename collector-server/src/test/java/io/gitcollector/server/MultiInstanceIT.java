package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.redis.TestRedis;
import io.gitcollector.server.http.JwtAuthenticator;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one Redis: subscribed repositories are each collected exactly once, by one instance or the
 * other; an instance killed in the middle of a collection has its job and lease taken over by the other, which
 * finishes it from the shared cursors with nothing lost.
 */
class MultiInstanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GITHUB_TOKEN = "ghp_multiInstanceToken";
  private static final Secret JWT = Secret.of("multi-instance-secret-of-at-least-32-bytes");
  private static final int REPOSITORIES = 50;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String token = JwtAuthenticator.mint(JWT, "test",
      Set.of(JwtAuthenticator.READ, JwtAuthenticator.TRIGGER), Duration.ofMinutes(10));

  private record Instance(ChildJvm process, int port, Path data) {}


  private Instance start(Path work, String name, TestRedis redis, GitHubSimulator simulator) throws Exception {
    int port = ServerTestSupport.freePort();
    Path data = work.resolve(name);
    Map<String, String> env = ServerTestSupport.sharedInstance(name, redis.url(), JWT.reveal(), port, data,
        simulator.apiBaseUrl(), GITHUB_TOKEN);
    ChildJvm process = ChildJvm.start(work, env, List.of(), "serve", "--host", "127.0.0.1");
    Instance instance = new Instance(process, port, data);
    ServerTestSupport.awaitTrue(() -> get(instance, "/health").statusCode() == 200, name + " to listen", process);
    return instance;
  }

  private HttpResponse<String> get(Instance instance, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return new ServerTestSupport.NoResponse();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> post(Instance instance, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String status(Instance instance, String repositoryId) {
    HttpResponse<String> response = get(instance, "/api/v1/collect/status/" + repositoryId);
    try {
      return response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : "unknown";
    } catch (java.io.IOException e) {
      return "unreadable";
    }
  }


  private static Map<String, Integer> repositoryEnvelopes(Path... dataDirectories) {
    Map<String, Integer> counts = new HashMap<>();
    for (Path data : dataDirectories) {
      for (JsonNode envelope : EnvelopeFiles.read(data, "git.repositories")) {
        if (envelope.path("event_type").asText().equals("repository_updated")) {
          counts.merge(envelope.path("repository_id").asText(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static Set<String> commitShas(String repositoryId, Path... dataDirectories) {
    Set<String> shas = new HashSet<>();
    for (Path data : dataDirectories) {
      for (JsonNode envelope : EnvelopeFiles.read(data, "git.commits")) {
        if (envelope.path("repository_id").asText().equals(repositoryId)) {
          shas.add(envelope.path("data").path("sha").asText());
        }
      }
    }
    return shas;
  }

  @Test
  void twoInstancesShareTheWorkAndAKilledOnesJobIsFinishedByTheOther(@TempDir Path work) throws Exception {
    try (TestRedis redis = TestRedis.start();
        GitHubSimulator simulator = GitHubSimulator.builder().token(GITHUB_TOKEN).latency(Duration.ofMillis(2))
            .start()) {
      for (int i = 0; i < REPOSITORIES; i++) {
        simulator.addRepository("fleet/repo-" + i, RepositorySpec.of(150, 5, 1));
      }
      SimulatedRepository big = simulator.addRepository("fleet/big", RepositorySpec.of(30_000, 100, 1));
      Instance a = start(work, "a", redis, simulator);
      Instance b = start(work, "b", redis, simulator);
      try {
        for (int i = 0; i < REPOSITORIES; i++) {
          HttpResponse<String> created = post(i % 2 == 0 ? a : b, "/api/v1/repositories",
              "{\"url\":\"https://github.com/fleet/repo-" + i + "\"}");
          assertEquals(201, created.statusCode(), created.body());
        }
        ServerTestSupport.awaitTrue(() -> {
          for (int i = 0; i < REPOSITORIES; i++) {
            if (!status(a, "github:github.com/fleet/repo-" + i).equals("completed")) {
              return false;
            }
          }
          return true;
        }, "every subscribed repository to be collected", a.process, b.process);
        Map<String, Integer> collected = repositoryEnvelopes(a.data, b.data);
        for (int i = 0; i < REPOSITORIES; i++) {
          assertEquals(1, collected.getOrDefault("github:github.com/fleet/repo-" + i, 0),
              "repo-" + i + " collected exactly once: " + collected);
        }
        int byA = repositoryEnvelopes(a.data).size();
        int byB = repositoryEnvelopes(b.data).size();
        System.out.printf("multi-instance: %d repositories collected by a, %d by b%n", byA, byB);
        assertTrue(byA > 0 && byB > 0, "both instances took work: a " + byA + ", b " + byB);

        String bigId = "github:github.com/fleet/big";
        assertEquals(202, post(a, "/api/v1/collect/trigger",
            "{\"repository_url\":\"https://github.com/fleet/big\",\"full_sync\":true}").statusCode());
        ServerTestSupport.awaitTrue(() -> commitShas(bigId, a.data).size() + commitShas(bigId, b.data).size() >= 3_000,
            "the big collection to get going", a.process, b.process);
        Instance runner = commitShas(bigId, a.data).size() >= commitShas(bigId, b.data).size() ? a : b;
        Instance survivor = runner == a ? b : a;
        runner.process.kill();
        System.out.printf("multi-instance: killed %s after %d commits of the big repository%n",
            runner == a ? "a" : "b", commitShas(bigId, runner.data).size());
        ServerTestSupport.awaitTrue(() -> status(survivor, bigId).equals("completed")
            && commitShas(bigId, a.data, b.data).size() == big.commitCount(),
            "the survivor to finish the killed instance's collection", survivor.process);
        assertEquals(big.commitShas(), commitShas(bigId, a.data, b.data), "nothing lost");
      } finally {
        a.process.kill();
        b.process.kill();
      }
    }
  }

}
