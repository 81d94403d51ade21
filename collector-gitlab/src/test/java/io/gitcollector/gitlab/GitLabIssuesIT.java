package io.gitcollector.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitLab issues with their notes (system notes left out), compared with the simulator's ground truth. */
class GitLabIssuesIT extends SimulatedGitLab {

  private static Map<Long, Instant> versions(List<JsonNode> envelopes) {
    Map<Long, Instant> versions = new HashMap<>();
    envelopes.forEach(e -> versions.put(e.path("data").path("number").asLong(),
        Instant.parse(e.path("data").path("updated_at").asText())));
    return versions;
  }

  @Test
  void everyIssueWithItsUserNotesThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("team/issues", RepositorySpec.of(5, 3, 0)
        .withIssues(450, 2));
    String url = simulator.url() + "/team/issues";
    Optional<Set<EntityKind>> issues = Optional.of(Set.of(EntityKind.ISSUE));
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(collector.target(url), SyncMode.FULL, issues);
      assertEquals(450, full.delivered(StreamKind.of(EntityKind.ISSUE)));
    }
    List<JsonNode> collected = EnvelopeFiles.read(data, "git.issues");
    assertEquals(450, collected.size(), "exactly one envelope per issue");
    assertEquals(project.issueVersions(), versions(collected));
    for (JsonNode envelope : collected) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      JsonNode comments = envelope.path("data").path("comments");
      assertEquals(2, comments.size(), "the system note is not a comment: " + comments);
    }
    JsonNode first = collected.stream().filter(e -> e.path("data").path("number").asLong() == 100_005).findFirst()
        .orElseThrow().path("data");
    assertEquals(List.of(project.login((int) (100_006 % project.contributorCount()))),
        List.of(first.path("assignees").get(0).asText()));

    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, issues).totalDelivered());
    }
    assertEquals(1, simulator.requests("/issues"), "an idle pass is one request");

    project.commentOnIssues(100_001, 100_300);
    project.addIssues(1);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, issues);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.ISSUE, "100450")));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.issues");
    List<JsonNode> added = all.subList(450, all.size());
    assertEquals(List.of(100_001L, 100_300L, 100_451L, 100_450L), added.stream()
        .map(e -> e.path("data").path("number").asLong()).toList(), "the changed issues, then the refetched one");
    versions(added.subList(0, 3)).forEach((iid, updated) -> assertEquals(project.issueVersions().get(iid), updated));
    assertEquals(3, added.get(0).path("data").path("comments").size());
  }
}
