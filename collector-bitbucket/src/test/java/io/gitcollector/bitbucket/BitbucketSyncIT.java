package io.gitcollector.bitbucket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bitbucket Cloud collections against the simulator, compared with its ground truth. */
class BitbucketSyncIT extends SimulatedBitbucket {
  /** The shared collector, with a short wait for a rate-limit pause the simulator orders. */
  static GitCollector collector(Path data) {
    return GitCollector.builder()
        .platform("bitbucket", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .setting("rate_limit_backoff_seconds", "1").build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  static List<JsonNode> added(Map<String, List<JsonNode>> before, Path data) {
    List<JsonNode> added = new ArrayList<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      List<JsonNode> now = EnvelopeFiles.read(data, topic);
      added.addAll(now.subList(before.getOrDefault(topic, List.of()).size(), now.size()));
    }
    return added;
  }

  static Map<String, List<JsonNode>> snapshot(Path data) {
    Map<String, List<JsonNode>> topics = new HashMap<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      topics.put(topic, EnvelopeFiles.read(data, topic));
    }
    return topics;
  }

  static Set<String> shas(List<JsonNode> envelopes) {
    Set<String> shas = new HashSet<>();
    envelopes.stream().filter(e -> e.path("event_type").asText().equals("commit_created"))
        .forEach(e -> shas.add(e.path("data").path("sha").asText()));
    return shas;
  }

  static Map<Long, Integer> reviewsPerPull(List<JsonNode> envelopes) {
    Map<Long, Integer> reviews = new HashMap<>();
    envelopes.stream().filter(e -> e.path("event_type").asText().equals("pull_request_updated"))
        .forEach(e -> reviews.put(e.path("data").path("number").asLong(), e.path("data").path("reviews").size()));
    return reviews;
  }

  @Test
  void pullRequestsUpdatedInTheSameSecondAreRememberedTogether(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/ties", RepositorySpec.of(30, 20, 1));
    String url = "https://bitbucket.org/acme/ties";
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.FULL);
      int seen = EnvelopeFiles.read(data, "git.pull_requests").size();
      repository.updatePullRequestsAtOnce(2, 4, 6, 8, 10);
      collector.sync(url, SyncMode.INCREMENTAL);
      assertEquals(List.of(2L, 4L, 6L, 8L, 10L), pullNumbers(data, seen));
      seen = EnvelopeFiles.read(data, "git.pull_requests").size();
      repository.updatePullRequests(11);
      collector.sync(url, SyncMode.INCREMENTAL);
      assertEquals(List.of(11L), pullNumbers(data, seen), "the tied five are not emitted again (nor their comments"
          + " fetched)");
    }
  }

  private static List<Long> pullNumbers(Path data, int from) {
    List<JsonNode> all = EnvelopeFiles.read(data, "git.pull_requests");
    return all.subList(from, all.size()).stream().map(e -> e.path("data").path("number").asLong()).sorted().toList();
  }

  @Test
  void strayTooManyRequestsCostSecondsNotHalfMinutes(@TempDir Path data) {
    // one request in a hundred answered 429 without Retry-After (Atlassian documents none), with the default cap
    SimulatedRepository repository = simulator.addRepository("acme/throttled", RepositorySpec.of(400, 40, 1));
    java.util.List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.gitcollector.core.engine.SyncListener listener = new io.gitcollector.core.engine.SyncListener() {
      @Override
      public void waiting(String platformId, Duration wait, String reason) {
        waits.add(wait);
      }
    };
    simulator.injectEvery(io.gitcollector.testkit.github.Fault.TOO_MANY_REQUESTS, 100);
    try (GitCollector collector = GitCollector.builder()
        .platform("bitbucket", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
            .build())
        .dataDirectory(data).listener(listener).build()) {
      collector.sync("https://bitbucket.org/acme/throttled", SyncMode.FULL);
    } finally {
      simulator.injectEvery(io.gitcollector.testkit.github.Fault.TOO_MANY_REQUESTS, 0);
    }
    assertEquals(repository.commitShas(), shas(EnvelopeFiles.read(data, "git.commits")));
    assertFalse(waits.isEmpty(), "some 429s were met");
    System.out.printf("bitbucket 429s: %d pauses, longest %s, in all %s%n", waits.size(),
        waits.stream().max(Duration::compareTo).orElseThrow(),
        waits.stream().reduce(Duration.ZERO, Duration::plus));
    boolean short429Pauses = waits.stream().allMatch(w -> w.compareTo(Duration.ofSeconds(4)) <= 0);
    io.gitcollector.testkit.reliability.ReliabilityLog.record(new io.gitcollector.testkit.reliability.ReliabilityLog.Row(
        "5-bitbucket-429", "Bitbucket answering one request in a hundred with 429 and no Retry-After", 1,
        short429Pauses && repository.commitShas().equals(shas(EnvelopeFiles.read(data, "git.commits"))) ? 1 : 0,
        "every pause 2 s or less (" + waits.size() + " waits reported by the streams), growing only while 429s"
            + " continue, up to rate_limit_backoff_seconds (30); nothing lost"));
    assertTrue(short429Pauses, "isolated 429s pause 2 s, not the 30 s cap: " + waits);
  }

  @Test
  void fullThenIncrementalSyncsDeliverExactlyTheRepository(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/bigbucket", RepositorySpec.of(5_000, 500, 2));
    String url = "https://bitbucket.org/acme/bigbucket";
    simulator.resetStats();
    long started = System.nanoTime();
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(url, SyncMode.FULL);
      System.out.printf("bitbucket full sync: %d commits, %d pull requests, %d requests, %.1f s%n",
          full.delivered(StreamKind.COMMITS), full.delivered(StreamKind.PULL_REQUESTS), full.requests(),
          (System.nanoTime() - started) / 1e9);
    }
    List<JsonNode> envelopes = EnvelopeFiles.readAll(data);
    for (JsonNode envelope : envelopes) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      assertEquals("bitbucket:bitbucket.org/acme/bigbucket", envelope.path("repository_id").asText());
    }
    assertEquals(repository.commitShas(), shas(envelopes));
    assertEquals(5_000, envelopes.stream().filter(e -> e.path("event_type").asText().equals("commit_created"))
        .count());
    Map<Long, Integer> reviews = reviewsPerPull(envelopes);
    assertEquals(repository.pullRequestVersions().keySet(), reviews.keySet());
    reviews.forEach((number, count) -> assertEquals(repository.pullReviewCount(number), count, "#" + number));
    Map<String, Long> contributors = new HashMap<>();
    envelopes.stream().filter(e -> e.path("event_type").asText().equals("contributor_updated"))
        .forEach(e -> contributors.put(e.path("data").path("login").asText(),
            e.path("data").path("contributions").asLong()));
    assertEquals(repository.contributorCounts(), contributors);
    JsonNode commit = envelopes.stream().filter(e -> e.path("event_type").asText().equals("commit_created"))
        .findFirst().orElseThrow();
    int index = Integer.parseInt(commit.path("data").path("sha").asText().substring(32), 16);
    assertEquals(repository.additions(index), commit.path("data").path("additions").asInt(), "diffstat totals");

    Map<String, List<JsonNode>> before = snapshot(data);
    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(url, SyncMode.INCREMENTAL).totalDelivered(), "nothing changed");
    }
    repository.addCommits(40);
    repository.updatePullRequests(3, 250);
    repository.addPullRequests(1);
    before = snapshot(data);
    try (GitCollector collector = collector(data)) {
      collector.sync(url, SyncMode.INCREMENTAL);
    }
    List<JsonNode> changes = added(before, data);
    assertEquals(new HashSet<>(repository.commitShas(5_000, 5_040)), shas(changes));
    assertEquals(40, changes.stream().filter(e -> e.path("event_type").asText().equals("commit_created")).count());
    assertEquals(Set.of(3L, 250L, 501L), reviewsPerPull(changes).keySet());
    assertEquals(repository.pullReviewCount(3), reviewsPerPull(changes).get(3L));
  }

  @Test
  void a429IsWaitedOutAndADeletedRepositoryFailsAtOnce(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/busy", RepositorySpec.of(120, 5, 1));
    simulator.injectFault(Fault.TOO_MANY_REQUESTS, "GET /commits/{revision}", 2);
    try (GitCollector collector = collector(data)) {
      collector.sync("https://bitbucket.org/acme/busy", SyncMode.FULL);
    }
    assertEquals(repository.commitShas(), shas(EnvelopeFiles.readAll(data)));

    simulator.addRepository("acme/gone", RepositorySpec.of(10, 1, 0));
    simulator.deleteRepository("acme/gone");
    simulator.resetStats();
    try (GitCollector collector = collector(data.resolve("gone"))) {
      RepositoryNotFoundException error = assertThrows(RepositoryNotFoundException.class,
          () -> collector.sync("https://bitbucket.org/acme/gone", SyncMode.FULL));
      assertTrue(error.getMessage().contains("acme/gone"), error.getMessage());
    }
    int streams = new BitbucketPlatformProvider().kinds().size();
    assertTrue(simulator.requests() <= streams, "one refused request per stream (" + streams + "), no retry storm: "
        + simulator.requests());
  }
}
