package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.jsonl.JsonLinesSink;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.SyncInProgressException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits, faults, a failing sink and bad input, each against the simulator. */
class GitHubFailureModesIT {
  private static final String TOKEN = "ghp_failureModesToken42";
  private GitHubSimulator simulator;
  @TempDir Path data;

  @BeforeEach
  void start() {
    simulator = GitHubSimulator.builder().token(TOKEN).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private GitCollector.Builder collector(String token) {
    PlatformConfig.Builder github = PlatformConfig.builder().apiBaseUrl(simulator.apiBaseUrl());
    if (token != null) {
      github.token(Secret.of(token));
    }
    return GitCollector.builder().platform("github", github.build()).dataDirectory(data)
        .retry(5, Duration.ofMillis(20));
  }

  private static Set<String> collectedShas(Path data) {
    Set<String> shas = new HashSet<>();
    for (JsonNode e : EnvelopeFiles.read(data, "git.commits")) {
      shas.add(e.path("data").path("sha").asText());
    }
    return shas;
  }

  @Test
  void aBudgetSmallerThanTheSyncNeedsIsWaitedOutNeverOverrun() {
    SimulatedRepository repository = simulator.addRepository("acme/paced", RepositorySpec.of(2_500, 150, 2));
    simulator.setGraphqlRateLimit(9, Duration.ofSeconds(1));
    simulator.setCoreRateLimit(2, Duration.ofSeconds(1));
    try (GitCollector collector = collector(TOKEN).build()) {
      collector.sync("https://github.com/acme/paced", SyncMode.FULL);
    }
    SimulatorStats stats = simulator.stats();
    assertEquals(0, stats.rateLimitViolations(), () -> "requests sent into a spent budget: " + stats);
    assertTrue(stats.graphqlPointsSpent() >= 27, () -> "the sync needed more than two windows: " + stats);
    assertEquals(repository.commitShas(), collectedShas(data));
  }

  @Test
  void aSecondaryLimitIsHonouredForEveryRequestOfTheToken() {
    SimulatedRepository repository = simulator.addRepository("acme/abuse", RepositorySpec.of(1_500, 300, 2));
    simulator.secondaryLimitEvery(6, Duration.ofSeconds(1));
    try (GitCollector collector = collector(TOKEN).build()) {
      collector.sync("https://github.com/acme/abuse", SyncMode.FULL);
    }
    SimulatorStats stats = simulator.stats();
    assertEquals(0, stats.secondaryLimitViolations(), () -> "requests during a secondary limit: " + stats);
    assertEquals(repository.commitShas(), collectedShas(data));
    assertEquals(300, EnvelopeFiles.read(data, "git.pull_requests").size());
  }

  @Test
  void afterASecondaryLimitRequestsGoOneAtATimeSoFewAreRefused() {
    // a GitHub that tolerates one request of the token at a time, against a collector that fetches in parallel
    SimulatedRepository repository = simulator.addRepository("acme/serial", RepositorySpec.of(6_000, 400, 1));
    simulator.maxConcurrentRequests(1);
    simulator.secondaryLimitEvery(0, Duration.ofSeconds(1));
    try (GitCollector collector = collector(TOKEN).concurrency(8).build()) {
      collector.sync("https://github.com/acme/serial", SyncMode.FULL);
    }
    SimulatorStats stats = simulator.stats();
    long refused = simulator.concurrencyRefusals();
    System.out.printf("secondary limit on concurrency: %d of %d requests refused (%.1f %%)%n", refused,
        stats.requests(), 100.0 * refused / stats.requests());
    io.gitcollector.testkit.reliability.ReliabilityLog.record(new io.gitcollector.testkit.reliability.ReliabilityLog.Row(
        "5-github-secondary-concurrency", "a GitHub that allows one request of the token at a time (a secondary"
            + " limit with Retry-After on any other), against a collector fetching up to 8 pages in parallel", 1,
        refused * 10 < stats.requests() ? 1 : 0, refused + " of " + stats.requests() + " requests refused ("
            + String.format(java.util.Locale.ROOT, "%.1f", 100.0 * refused / stats.requests()) + " %): after a"
            + " secondary limit requests go one at a time, widening after 50 successes; nothing lost"));
    assertTrue(refused * 10 < stats.requests(), () -> refused + " of " + stats.requests() + " refused");
    assertEquals(repository.commitShas(), collectedShas(data));
    assertEquals(400, EnvelopeFiles.read(data, "git.pull_requests").size());
  }

  @Test
  void serverErrorsAndTruncatedBodiesAreRetriedAndNothingIsLost() {
    SimulatedRepository repository = simulator.addRepository("acme/flaky", RepositorySpec.of(1_000, 120, 2));
    simulator.injectFault(Fault.SERVER_ERROR, "CommitHistory", 2);
    simulator.injectFault(Fault.TRUNCATED_BODY, "CommitHistory", 1);
    simulator.injectFault(Fault.BAD_GATEWAY, "PullRequests", 1);
    simulator.injectFault(Fault.TRUNCATED_BODY, "/contributors", 1);
    simulator.injectFault(Fault.SERVER_ERROR, "GET /repos/{o}/{r}", 1);
    try (GitCollector collector = collector(TOKEN).build()) {
      collector.sync("https://github.com/acme/flaky", SyncMode.FULL);
      assertEquals(4.0, collector.meterRegistry().get("git_collector_requests_failed")
          .tag("reason", "transient_failure").counters().stream().mapToDouble(c -> c.count()).sum());
      assertEquals(2.0, collector.meterRegistry().get("git_collector_requests_failed")
          .tag("reason", "io_error").counters().stream().mapToDouble(c -> c.count()).sum());
    }
    assertEquals(repository.commitShas(), collectedShas(data));
    assertEquals(1_000, EnvelopeFiles.read(data, "git.commits").size(), "a retried page is delivered once");
    assertEquals(120, EnvelopeFiles.read(data, "git.pull_requests").size());
  }

  @Test
  void aGatewayTimeoutShrinksTheHistoryPageAndTheCollectionCompletes() {
    SimulatedRepository repository = simulator.addRepository("acme/heavy", RepositorySpec.of(1_500, 0, 0));
    simulator.injectFault(Fault.BAD_GATEWAY, "CommitHistory", 2);
    simulator.resetStats();
    try (GitCollector collector = collector(TOKEN).build()) {
      collector.sync("https://github.com/acme/heavy", SyncMode.FULL);
    }
    assertEquals(25, simulator.smallestGraphqlPageSize(), "100, halved twice");
    List<JsonNode> commits = EnvelopeFiles.read(data, "git.commits");
    assertEquals(repository.commitShas(), collectedShas(data));
    assertEquals(1_500, commits.size(), "smaller pages, the same commits, each once");
  }

  /** Fails the n-th batch of commits; everything else goes to the JSON-lines files. */
  static final class SinkFailingAtCommitBatch implements Sink {
    private final JsonLinesSink delegate;
    private final int failAt;
    private final AtomicInteger commitBatches = new AtomicInteger();

    SinkFailingAtCommitBatch(Path dir, int failAt) {
      this.delegate = new JsonLinesSink(dir);
      this.failAt = failAt;
    }

    @Override
    public CompletableFuture<Void> publish(List<Envelope> envelopes) {
      if (envelopes.get(0).kind() == EntityKind.COMMIT && commitBatches.incrementAndGet() == failAt) {
        return CompletableFuture.failedFuture(new SinkException("broker unreachable (test)"));
      }
      return delegate.publish(envelopes);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void aSinkThatDoesNotAcknowledgeKeepsTheCursorAndTheNextRunResumesThere() {
    SimulatedRepository repository = simulator.addRepository("acme/sinkfail", RepositorySpec.of(1_000, 50, 1));
    String url = "https://github.com/acme/sinkfail";
    try (GitCollector collector = collector(TOKEN).sink(new SinkFailingAtCommitBatch(data, 4)).build()) {
      SinkException error = assertThrows(SinkException.class, () -> collector.sync(url, SyncMode.FULL));
      assertTrue(error.getMessage().contains("broker unreachable"), error.getMessage());
      assertEquals(300, EnvelopeFiles.read(data, "git.commits").size(), "three batches were acknowledged");
      SyncStatus status = collector.status("github:github.com/acme/sinkfail");
      assertEquals(SyncStatus.State.FAILED, status.state());
      assertTrue(status.lastError().orElseThrow().contains("broker unreachable"));
    }
    simulator.resetStats();
    try (GitCollector collector = collector(TOKEN).build()) {
      // resumes the interrupted pass after its last acknowledged page, even in incremental mode
      assertEquals(700, collector.sync(url, SyncMode.INCREMENTAL).delivered(StreamKind.COMMITS));
    }
    assertEquals(7, simulator.stats().route("POST /graphql CommitHistory"));
    assertEquals(1_000, EnvelopeFiles.read(data, "git.commits").size(), "no page delivered twice");
    assertEquals(repository.commitShas(), collectedShas(data));
  }

  @Test
  void aDeepPipelineLosesNothingAndReDeliversAtMostItsDepth() {
    SimulatedRepository repository = simulator.addRepository("acme/piped", RepositorySpec.of(1_200, 30, 1));
    String url = "https://github.com/acme/piped";
    try (GitCollector collector = collector(TOKEN).pipelineDepth(4).sink(new SinkFailingAtCommitBatch(data, 5))
        .build()) {
      assertThrows(SinkException.class, () -> collector.sync(url, SyncMode.FULL));
    }
    try (GitCollector collector = collector(TOKEN).pipelineDepth(4).build()) {
      collector.sync(url, SyncMode.FULL);
    }
    List<JsonNode> commits = EnvelopeFiles.read(data, "git.commits");
    assertEquals(repository.commitShas(), collectedShas(data), "nothing lost");
    assertTrue(commits.size() - 1_200 <= 3 * 100, "re-delivered at most the pages in flight after the failed one: "
        + (commits.size() - 1_200));
  }

  @Test
  void badInputGetsItsOwnErrorAndNeverShowsTheToken() {
    simulator.addRepository("acme/secret", RepositorySpec.of(10, 1, 0).asPrivate());
    simulator.addRepository("acme/public", RepositorySpec.of(10, 1, 0));
    try (GitCollector anonymous = collector(null).build()) {
      CollectorException error = assertThrows(MissingCredentialsException.class,
          () -> anonymous.sync("https://github.com/acme/secret", SyncMode.FULL));
      assertTrue(error.getMessage().contains("GITHUB_TOKEN"), error.getMessage());
    }
    try (GitCollector authorized = collector(TOKEN).build()) {
      CollectorException error = assertThrows(RepositoryNotFoundException.class,
          () -> authorized.sync("https://github.com/acme/missing", SyncMode.FULL));
      assertTrue(error.getMessage().contains("acme/missing"), error.getMessage());
      assertFalse(error.getMessage().contains(TOKEN));
    }
    String wrongToken = "ghp_wrongTokenValue000";
    try (GitCollector wrong = collector(wrongToken).build()) {
      CollectorException error = assertThrows(InvalidCredentialsException.class,
          () -> wrong.sync("https://github.com/acme/public", SyncMode.FULL));
      assertFalse(error.getMessage().contains(wrongToken), error.getMessage());
      assertFalse(wrong.status("github:github.com/acme/public").lastError().orElseThrow().contains(wrongToken));
    }
  }

  @Test
  void aForbiddenRepositoryIsPermissionDeniedNotARateLimit() {
    simulator.addRepository("acme/locked", RepositorySpec.of(10, 1, 0));
    simulator.denyAccess("acme/locked");
    try (GitCollector collector = collector(TOKEN).build()) {
      PermissionDeniedException error = assertThrows(PermissionDeniedException.class,
          () -> collector.sync("https://github.com/acme/locked", SyncMode.FULL));
      assertTrue(error.getMessage().contains("Resource not accessible"), error.getMessage());
    }
    assertTrue(simulator.stats().requests() < 10, "a permanent refusal is not retried");
  }

  @Test
  void oneSyncPerRepositoryAtATime() throws Exception {
    simulator.addRepository("acme/busy", RepositorySpec.of(3_000, 10, 0));
    simulator.setLatency(Duration.ofMillis(20));
    java.util.concurrent.CountDownLatch firstPage = new java.util.concurrent.CountDownLatch(1);
    try (GitCollector collector = collector(TOKEN).listener(new io.gitcollector.core.engine.SyncListener() {
      @Override
      public void pageDelivered(String repositoryId, StreamKind stream, int items, long total) {
        firstPage.countDown();
      }
    }).build()) {
      java.util.concurrent.CompletableFuture<?> first = java.util.concurrent.CompletableFuture.runAsync(
          () -> collector.sync("https://github.com/acme/busy", SyncMode.FULL));
      assertTrue(firstPage.await(30, java.util.concurrent.TimeUnit.SECONDS));
      SyncInProgressException error = assertThrows(SyncInProgressException.class,
          () -> collector.sync("git@github.com:acme/busy.git", SyncMode.INCREMENTAL));
      assertTrue(error.getMessage().contains("github:github.com/acme/busy"), error.getMessage());
      first.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(SyncStatus.State.COMPLETED, collector.status("github:github.com/acme/busy").state());
    }
  }

  @Test
  void aRenamedRepositoryIsFollowed() {
    SimulatedRepository repository = simulator.addRepository("acme/old-name", RepositorySpec.of(120, 3, 1));
    simulator.renameRepository("acme/old-name", "acme/new-name");
    try (GitCollector collector = collector(TOKEN).build()) {
      collector.sync("https://github.com/acme/old-name", SyncMode.FULL);
    }
    assertEquals(repository.commitShas(), collectedShas(data));
    JsonNode metadata = EnvelopeFiles.read(data, "git.repositories").stream()
        .filter(e -> e.path("event_type").asText().equals("repository_updated")).findFirst().orElseThrow();
    assertEquals("acme/new-name", metadata.path("data").path("full_name").asText());
    assertTrue(simulator.stats().route("GET /repos/{o}/{r} (moved)") >= 1);
  }
}
