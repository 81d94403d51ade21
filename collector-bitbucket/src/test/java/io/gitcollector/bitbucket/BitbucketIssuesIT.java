package io.gitcollector.bitbucket;

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

/** Issues of Bitbucket's tracker with their comments; a repository without a tracker has no issues, and no error. */
class BitbucketIssuesIT extends SimulatedBitbucket {
  private static final Optional<Set<EntityKind>> ISSUES = Optional.of(Set.of(EntityKind.ISSUE));

  private static Map<Long, Instant> versions(List<JsonNode> envelopes) {
    Map<Long, Instant> versions = new HashMap<>();
    envelopes.forEach(e -> versions.put(e.path("data").path("number").asLong(),
        Instant.parse(e.path("data").path("updated_at").asText())));
    return versions;
  }

  @Test
  void everyIssueWithItsCommentsThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("team/tracked", RepositorySpec.of(5, 2, 0)
        .withIssues(180, 2));
    String url = "https://bitbucket.org/team/tracked";
    try (GitCollector collector = collector(data)) {
      SyncResult full = collector.sync(collector.target(url), SyncMode.FULL, ISSUES);
      assertEquals(180, full.delivered(StreamKind.of(EntityKind.ISSUE)));
    }
    List<JsonNode> collected = EnvelopeFiles.read(data, "git.issues");
    assertEquals(180, collected.size(), "exactly one envelope per issue");
    assertEquals(repository.issueVersions(), versions(collected));
    for (JsonNode envelope : collected) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      assertEquals(2, envelope.path("data").path("comments").size());
    }
    JsonNode wontfix = collected.stream().filter(e -> e.path("data").path("number").asLong() == 100_006).findFirst()
        .orElseThrow().path("data");
    assertEquals("closed", wontfix.path("state").asText());
    assertEquals("wontfix", wontfix.path("state_reason").asText());

    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, ISSUES).totalDelivered(),
          "nothing changed, nothing emitted");
    }
    repository.commentOnIssues(100_002, 100_150);
    repository.addIssues(1);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, ISSUES);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.ISSUE, "100007")));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.issues");
    List<JsonNode> added = all.subList(180, all.size());
    assertEquals(Set.of(100_002L, 100_150L, 100_181L), versions(added.subList(0, 3)).keySet());
    versions(added.subList(0, 3)).forEach((id, updated) -> assertEquals(repository.issueVersions().get(id), updated));
    assertEquals(100_007, added.get(3).path("data").path("number").asLong(), "then the refetched one");
    assertEquals(4, added.size());
  }

  @Test
  void aRepositoryWithoutAnIssueTrackerHasNoIssuesAndNoError(@TempDir Path data) {
    simulator.addRepository("team/untracked", RepositorySpec.of(5, 1, 0));
    try (GitCollector collector = collector(data)) {
      SyncResult result = collector.sync(collector.target("https://bitbucket.org/team/untracked"), SyncMode.FULL,
          Optional.empty());
      assertEquals(0, result.delivered(StreamKind.of(EntityKind.ISSUE)));
      assertEquals(5, result.delivered(StreamKind.COMMITS));
    }
    assertEquals(List.of(), EnvelopeFiles.read(data, "git.issues"));
  }
}
