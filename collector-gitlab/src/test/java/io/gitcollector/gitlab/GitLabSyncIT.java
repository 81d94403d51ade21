package io.gitcollector.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitLab collections against the simulator (a self-hosted instance with nested groups), compared with ground truth. */
class GitLabSyncIT extends SimulatedGitLab {
  /** The shared collector, with a short wait for a rate-limit pause the simulator orders. */
  static GitCollector collector(Path data) {
    return GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.url())
            .setting("rate_limit_backoff_seconds", "1").build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  static Map<String, List<JsonNode>> snapshot(Path data) {
    Map<String, List<JsonNode>> topics = new HashMap<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      topics.put(topic, EnvelopeFiles.read(data, topic));
    }
    return topics;
  }

  static List<JsonNode> added(Map<String, List<JsonNode>> before, Path data) {
    List<JsonNode> added = new ArrayList<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      List<JsonNode> now = EnvelopeFiles.read(data, topic);
      added.addAll(now.subList(before.get(topic).size(), now.size()));
    }
    return added;
  }

  static Set<String> shas(List<JsonNode> envelopes) {
    Set<String> shas = new HashSet<>();
    envelopes.stream().filter(e -> e.path("event_type").asText().equals("commit_created"))
        .forEach(e -> shas.add(e.path("data").path("sha").asText()));
    return shas;
  }

  static Map<Long, JsonNode> pulls(List<JsonNode> envelopes) {
    Map<Long, JsonNode> pulls = new HashMap<>();
    envelopes.stream().filter(e -> e.path("event_type").asText().equals("pull_request_updated"))
        .forEach(e -> pulls.put(e.path("data").path("number").asLong(), e.path("data")));
    return pulls;
  }

  @Test
  void fifteenThousandCommitsWithoutTotalsThenExactlyTheChanges(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("platform/backend/api", RepositorySpec.of(15_000, 1_500, 2));
    String url = simulator.url() + "/platform/backend/api";
    simulator.resetStats();
    long started = System.nanoTime();
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(url, SyncMode.FULL);
      assertTrue(full.repositoryId().matches("gitlab:127\\.0\\.0\\.1:\\d+/platform/backend/api"), full.repositoryId());
      System.out.printf("gitlab full sync: %d commits, %d merge requests, %d requests, %.1f s%n",
          full.delivered(StreamKind.COMMITS), full.delivered(StreamKind.PULL_REQUESTS), simulator.requests(),
          (System.nanoTime() - started) / 1e9);
    }
    List<JsonNode> envelopes = EnvelopeFiles.readAll(data);
    for (JsonNode envelope : envelopes) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
    }
    assertEquals(project.commitShas(), shas(envelopes));
    assertEquals(15_000, envelopes.stream().filter(e -> e.path("event_type").asText().equals("commit_created"))
        .count());
    Map<Long, JsonNode> pulls = pulls(envelopes);
    assertEquals(project.pullRequestVersions().keySet(), pulls.keySet());
    pulls.forEach((iid, pull) -> assertEquals(project.pullReviewCount(iid), pull.path("reviews").size(), "!" + iid));
    assertEquals(1_500, envelopes.stream().filter(e -> e.path("event_type").asText().equals("pull_request_updated"))
        .count());

    Map<String, List<JsonNode>> before = snapshot(data);
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.INCREMENTAL);
    }
    assertEquals(List.of(), added(before, data).stream()
        .filter(e -> !e.path("event_type").asText().equals("contributor_updated")).toList(), "nothing changed");

    project.addCommits(30);
    project.updatePullRequests(7, 1_200);
    project.addPullRequests(1);
    before = snapshot(data);
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.INCREMENTAL);
    }
    List<JsonNode> changes = added(before, data);
    assertEquals(new HashSet<>(project.commitShas(15_000, 15_030)), shas(changes));
    assertEquals(Set.of(7L, 1_200L, 1_501L), pulls(changes).keySet());
  }

  @Test
  void aMergeRequestUpdatedWhileThePagesAreReadIsStillCollected(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("team/moving", RepositorySpec.of(50, 450, 1));
    // after the first page of merge requests went out, one it already passed is updated
    simulator.beforeRequest("/merge_requests", 3, () -> project.updatePullRequests(2));
    try (GitCollector collector = collector(data)) {
      collector.sync(simulator.url() + "/team/moving", SyncMode.FULL);
    }
    Map<Long, JsonNode> pulls = pulls(EnvelopeFiles.readAll(data));
    assertEquals(project.pullRequestVersions().keySet(), pulls.keySet());
    assertEquals(project.pullRequestVersions().get(2L),
        Instant.parse(pulls.get(2L).path("updated_at").asText()), "the moved merge request, in its new version");
  }

  @Test
  void perFileChangesAreASetting(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("team/files", RepositorySpec.of(35, 0, 0));
    try (GitCollector collector = GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.url())
            .setting("commit_files", "true").build())
        .dataDirectory(data).build()) {
      collector.sync(simulator.url() + "/team/files", SyncMode.FULL);
    }
    for (JsonNode commit : EnvelopeFiles.read(data, "git.commits")) {
      int index = Integer.parseInt(commit.path("data").path("sha").asText().substring(32), 16);
      JsonNode files = commit.path("data").path("files");
      assertEquals(project.changedFiles(index), files.size());
      int added = 0;
      for (JsonNode file : files) {
        added += file.path("additions").asInt();
      }
      assertEquals(project.additions(index), added, "file additions add up to the commit's");
    }
  }

  @Test
  void a429WithoutHeadersIsWaitedOut(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("team/throttled", RepositorySpec.of(120, 5, 1));
    simulator.injectFault(Fault.TOO_MANY_REQUESTS, "/repository/commits", 2);
    try (GitCollector collector = collector(data)) {
      collector.sync(simulator.url() + "/team/throttled", SyncMode.FULL);
    }
    assertEquals(project.commitShas(), shas(EnvelopeFiles.readAll(data)));
  }

  // ------------------------------------------------------------------ GitLab errors, each as its own exception

  private static GitCollector collectorFor(Path data, String url, String token) {
    return GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(token)).apiBaseUrl(url).build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  @Test
  void aRefusedTokenIsInvalidCredentialsAndTheTokenIsNotInTheMessage(@TempDir Path data) {
    simulator.addProject("errors/refused", RepositorySpec.of(10, 1, 1));
    try (GitCollector collector = collectorFor(data, simulator.url(), "glpat-notTheRightOne0000")) {
      InvalidCredentialsException refused = assertThrows(InvalidCredentialsException.class,
          () -> collector.sync(simulator.url() + "/errors/refused", SyncMode.FULL));
      assertTrue(refused.getMessage().contains("401"), refused.getMessage());
      assertFalse(refused.getMessage().contains("glpat-"), refused.getMessage());
    }
  }

  @Test
  void anUnknownProjectIsRepositoryNotFound(@TempDir Path data) {
    try (GitCollector collector = collectorFor(data, simulator.url(), TOKEN)) {
      RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
          () -> collector.sync(simulator.url() + "/errors/nowhere", SyncMode.FULL));
      assertTrue(missing.getMessage().contains("errors/nowhere"), missing.getMessage());
    }
  }

  @Test
  void serverErrorsAreRetriedAndNothingIsLost(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("errors/flaky", RepositorySpec.of(250, 5, 1));
    simulator.injectFault(Fault.SERVER_ERROR, "/repository/commits", 2);
    try (GitCollector collector = collectorFor(data, simulator.url(), TOKEN)) {
      collector.sync(simulator.url() + "/errors/flaky", SyncMode.FULL);
    }
    Set<String> shas = new HashSet<>();
    EnvelopeFiles.read(data, "git.commits").forEach(e -> shas.add(e.path("data").path("sha").asText()));
    assertEquals(project.commitShas(), shas);
  }

  @Test
  void anUnreachableServerIsPlatformUnavailableNamingWhy(@TempDir Path data) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    try (GitCollector collector = collectorFor(data, url, TOKEN)) {
      CollectorException down = assertThrows(PlatformUnavailableException.class,
          () -> collector.sync(url + "/errors/down", SyncMode.FULL));
      assertTrue(down.getMessage().contains("unreachable"), down.getMessage());
    }
  }
}
