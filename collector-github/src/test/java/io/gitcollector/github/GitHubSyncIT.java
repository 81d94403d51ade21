package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and incremental syncs of a large simulated repository, compared with the simulator's ground truth. */
class GitHubSyncIT extends SimulatedGitHub {

  /** Numbers of the pull-request envelopes a sync added. */
  private static java.util.List<Long> pullNumbers(Path data, int from) {
    java.util.List<JsonNode> all = EnvelopeFiles.read(data, "git.pull_requests");
    return all.subList(from, all.size()).stream().map(e -> e.path("data").path("number").asLong()).sorted().toList();
  }

  @Test
  void pullRequestsUpdatedInTheSameSecondAreRememberedTogether(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/ties", RepositorySpec.of(50, 20, 1));
    String url = "https://github.com/acme/ties";
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.FULL);
      int seen = EnvelopeFiles.read(data, "git.pull_requests").size();
      repository.updatePullRequestsAtOnce(2, 4, 6, 8, 10);
      collector.sync(url, SyncMode.INCREMENTAL);
      assertEquals(java.util.List.of(2L, 4L, 6L, 8L, 10L), pullNumbers(data, seen));
      seen = EnvelopeFiles.read(data, "git.pull_requests").size();
      repository.updatePullRequests(11);
      collector.sync(url, SyncMode.INCREMENTAL);
      assertEquals(java.util.List.of(11L), pullNumbers(data, seen), "the tied five are not emitted again");
    }
  }

  @Test
  void fullSyncDeliversExactlyOneValidEnvelopePerEntityAndIncrementalOnlyTheChanges(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/big", RepositorySpec.of(20_000, 2_000, 2));
    String url = "https://github.com/acme/big";
    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(url, SyncMode.FULL);
      assertEquals(20_000, full.delivered(StreamKind.COMMITS));
      assertEquals(2_000, full.delivered(StreamKind.PULL_REQUESTS));
    }
    SimulatorStats afterFull = simulator.stats();
    List<JsonNode> envelopes = EnvelopeFiles.readAll(data);
    for (JsonNode envelope : envelopes) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), () -> "invalid envelope " + envelope);
      assertEquals("github:github.com/acme/big", envelope.path("repository_id").asText());
    }
    assertEquals(repository.commitShas(), keys(envelopes, "commit_created", "sha"));
    assertEquals(20_000, count(envelopes, "commit_created"), "exactly one envelope per commit");
    Map<Long, Instant> pulls = pullVersions(envelopes);
    assertEquals(repository.pullRequestVersions(), pulls);
    assertEquals(2_000, count(envelopes, "pull_request_updated"), "exactly one envelope per pull request");
    assertEquals(repository.reviewIds(), reviewIds(envelopes));
    assertEquals(1, count(envelopes, "repository_updated"));
    assertEquals(repository.contributorCounts(), contributorCounts(envelopes));
    assertEquals(count(envelopes, "contributor_updated"), repository.contributorCounts().size());
    Set<String> ids = new HashSet<>();
    envelopes.forEach(e -> ids.add(e.path("event_id").asText()));
    assertEquals(envelopes.size(), ids.size(), "event ids are unique per entity version");
    // 200 GraphQL pages of commits, 20 of pull requests, one of issues (none: REST's newest item is a pull request);
    // REST: repository, three probes, one contributors page, one (empty) page each of releases, runs and deployments
    assertEquals(221, afterFull.graphqlPointsSpent());
    assertTrue(afterFull.requests() <= 230, () -> "requests: " + afterFull);

    // right after: nothing changed, every probe answers 304 and costs no primary points
    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      SyncResult idle = collector.sync(url, SyncMode.INCREMENTAL);
      assertEquals(0, idle.totalDelivered());
    }
    SimulatorStats idleStats = simulator.stats();
    assertEquals(0, idleStats.primaryPointsSpent(), () -> "idle incremental: " + idleStats);
    assertEquals(0, idleStats.graphqlPointsSpent(), () -> "idle incremental: " + idleStats);
    assertEquals(8, idleStats.notModified(), "repository, commits, pull requests, contributors, issues, releases,"
        + " CI runs, deployments");
    assertEquals(envelopes.size(), EnvelopeFiles.readAll(data).size());

    Map<String, List<JsonNode>> topicBefore = new HashMap<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      topicBefore.put(topic, EnvelopeFiles.read(data, topic));
    }
    // changes: 150 new commits, 3 pull requests updated (each with a new review), 2 new ones
    repository.addCommits(150);
    repository.updatePullRequests(5, 1_234, 2_000);
    repository.addPullRequests(2);
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.INCREMENTAL);
    }
    List<JsonNode> added = new ArrayList<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      List<JsonNode> before = topicBefore.get(topic);
      List<JsonNode> now = EnvelopeFiles.read(data, topic);
      assertEquals(before, now.subList(0, before.size()), "the sink only appends");
      added.addAll(now.subList(before.size(), now.size()));
    }
    assertEquals(new HashSet<>(repository.commitShas(20_000, 20_150)), keys(added, "commit_created", "sha"));
    assertEquals(150, count(added, "commit_created"));
    Map<Long, Instant> changedPulls = pullVersions(added);
    assertEquals(Set.of(5L, 1_234L, 2_000L, 2_001L, 2_002L), changedPulls.keySet());
    changedPulls.forEach((number, updated) -> assertEquals(repository.pullRequestVersions().get(number), updated));
    assertEquals(3, reviewIds(added).get(5L).size());
    assertEquals(1, count(added, "repository_updated"), "pushed_at moved");
    assertEquals(repository.contributorCounts(), contributorCounts(added));
  }

  static long count(List<JsonNode> envelopes, String eventType) {
    return envelopes.stream().filter(e -> e.path("event_type").asText().equals(eventType)).count();
  }

  static Set<String> keys(List<JsonNode> envelopes, String eventType, String field) {
    Set<String> keys = new HashSet<>();
    for (JsonNode e : envelopes) {
      if (e.path("event_type").asText().equals(eventType)) {
        keys.add(e.path("data").path(field).asText());
      }
    }
    return keys;
  }

  static Map<Long, Instant> pullVersions(List<JsonNode> envelopes) {
    Map<Long, Instant> versions = new HashMap<>();
    for (JsonNode e : envelopes) {
      if (e.path("event_type").asText().equals("pull_request_updated")) {
        versions.put(e.path("data").path("number").asLong(), Instant.parse(e.path("data").path("updated_at").asText()));
      }
    }
    return versions;
  }

  static Map<Long, List<Long>> reviewIds(List<JsonNode> envelopes) {
    Map<Long, List<Long>> ids = new HashMap<>();
    for (JsonNode e : envelopes) {
      if (e.path("event_type").asText().equals("pull_request_updated")) {
        List<Long> reviews = new ArrayList<>();
        e.path("data").path("reviews").forEach(r -> reviews.add(r.path("platform_id").asLong()));
        ids.put(e.path("data").path("number").asLong(), reviews);
      }
    }
    return ids;
  }

  static Map<String, Long> contributorCounts(List<JsonNode> envelopes) {
    Map<String, Long> counts = new HashMap<>();
    for (JsonNode e : envelopes) {
      if (e.path("event_type").asText().equals("contributor_updated")) {
        counts.put(e.path("data").path("login").asText(), e.path("data").path("contributions").asLong());
      }
    }
    return counts;
  }
}
