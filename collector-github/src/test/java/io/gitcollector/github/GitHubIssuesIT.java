package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issues with their comments, compared with the simulator's ground truth; pull requests never among them. */
class GitHubIssuesIT extends SimulatedGitHub {

  private static Map<Long, Instant> issueVersions(List<JsonNode> envelopes) {
    Map<Long, Instant> versions = new HashMap<>();
    for (JsonNode envelope : envelopes) {
      versions.put(envelope.path("data").path("number").asLong(),
          Instant.parse(envelope.path("data").path("updated_at").asText()));
    }
    return versions;
  }

  @Test
  void everyIssueOnceWithItsCommentsNoPullRequestAndIdleSyncsAreFree(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/tracker",
        RepositorySpec.of(10, 200, 1).withIssues(5_000, 3));
    String url = "https://github.com/acme/tracker";
    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(collector.target(url), SyncMode.FULL, Optional.of(Set.of(EntityKind.ISSUE)));
      assertEquals(5_000, full.delivered(StreamKind.of(EntityKind.ISSUE)));
    }
    SimulatorStats fullStats = simulator.stats();
    List<JsonNode> issues = EnvelopeFiles.read(data, "git.issues");
    assertEquals(5_000, issues.size(), "exactly one envelope per issue");
    assertEquals(repository.issueVersions(), issueVersions(issues), "every issue in its current version");
    assertTrue(issues.stream().allMatch(e -> e.path("data").path("number").asLong() >= SimulatedRepository
        .FIRST_ISSUE), "no pull request (numbered 1 to 200) is emitted as an issue");
    for (JsonNode envelope : issues) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), () -> "invalid envelope " + envelope);
      assertEquals(3, envelope.path("data").path("comments").size(), envelope::toString);
    }
    JsonNode closed = issues.stream().filter(e -> e.path("data").path("number").asLong() == 100_006).findFirst()
        .orElseThrow().path("data");
    assertEquals("closed", closed.path("state").asText());
    assertEquals("not_planned", closed.path("state_reason").asText());
    // 50 GraphQL pages and one GraphQL probe; a REST probe: 1 request per 50 issues at most
    assertEquals(50, fullStats.route("POST /graphql Issues") - 1, fullStats::toString);
    assertTrue(fullStats.requests() <= 5_000 / 50, fullStats::toString);

    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      SyncResult idle = collector.sync(collector.target(url), SyncMode.INCREMENTAL,
          Optional.of(Set.of(EntityKind.ISSUE)));
      assertEquals(0, idle.totalDelivered());
    }
    SimulatorStats idleStats = simulator.stats();
    assertEquals(0, idleStats.primaryPointsSpent(), idleStats::toString);
    assertEquals(0, idleStats.graphqlPointsSpent(), idleStats::toString);

    repository.commentOnIssues(100_010, 104_999);
    repository.addIssues(2);
    repository.updatePullRequests(7);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, Optional.of(Set.of(EntityKind.ISSUE)));
    }
    List<JsonNode> added = EnvelopeFiles.read(data, "git.issues").subList(5_000,
        EnvelopeFiles.read(data, "git.issues").size());
    Map<Long, Instant> changed = issueVersions(added);
    assertEquals(Set.of(100_010L, 104_999L, 105_001L, 105_002L), changed.keySet(), "exactly the changed issues");
    changed.forEach((number, updated) -> assertEquals(repository.issueVersions().get(number), updated));
    assertEquals(4, added.size());
    assertEquals(4, added.stream().filter(e -> e.path("data").path("number").asLong() == 100_010).findFirst()
        .orElseThrow().path("data").path("comments").size(), "the new comment is nested");
  }

  @Test
  void anIssueWithMoreCommentsThanTheNestedPageHoldsGetsThemAll(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/chatty", RepositorySpec.of(1, 0, 0)
        .withIssues(3, 60));
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target("https://github.com/acme/chatty"), SyncMode.FULL,
          Optional.of(Set.of(EntityKind.ISSUE)));
    }
    List<JsonNode> issues = EnvelopeFiles.read(data, "git.issues");
    assertEquals(3, issues.size());
    for (JsonNode issue : issues) {
      JsonNode comments = issue.path("data").path("comments");
      assertEquals(60, comments.size());
      assertEquals(repository.issueCommentId(issue.path("data").path("number").asLong(), 59),
          comments.get(59).path("platform_id").asLong());
    }
  }

  @Test
  void aRefetchDeliversExactlyThatIssueAndNothingForAPullRequestsNumber(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/refetched", RepositorySpec.of(1, 3, 0)
        .withIssues(20, 1));
    repository.commentOnIssues(100_005);
    try (GitCollector collector = collector(data)) {
      GitCollector.Target target = collector.target("https://github.com/acme/refetched");
      assertTrue(collector.refresh(target, new io.gitcollector.core.model.EntityRef(EntityKind.ISSUE, "100005")));
      assertEquals(false, collector.refresh(target, new io.gitcollector.core.model.EntityRef(EntityKind.ISSUE, "2")),
          "number 2 is a pull request: no issue to deliver");
    }
    List<JsonNode> issues = EnvelopeFiles.read(data, "git.issues");
    assertEquals(1, issues.size());
    assertEquals(100_005, issues.get(0).path("data").path("number").asLong());
    assertEquals(2, issues.get(0).path("data").path("comments").size());
    assertEquals(repository.issueVersions().get(100_005L),
        Instant.parse(issues.get(0).path("data").path("updated_at").asText()));
  }
}
