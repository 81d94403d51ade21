package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Releases: every one with its tag's commit; an idle pass is all 304s; a change emits exactly what changed. */
class GitHubReleasesIT extends SimulatedGitHub {
  private static final Optional<Set<EntityKind>> RELEASES = Optional.of(Set.of(EntityKind.RELEASE));

  private static Map<String, String> names(List<JsonNode> envelopes) {
    Map<String, String> names = new TreeMap<>();
    envelopes.forEach(e -> names.put(e.path("data").path("tag").asText(), e.path("data").path("name").asText()));
    return names;
  }

  @Test
  void everyReleaseThenNothingForFreeThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/released", RepositorySpec.of(500, 0, 0)
        .withReleases(250));
    String url = "https://github.com/acme/released";
    try (GitCollector collector = collector(data)) {
      assertEquals(250, collector.sync(collector.target(url), SyncMode.FULL, RELEASES)
          .delivered(StreamKind.of(EntityKind.RELEASE)));
    }
    List<JsonNode> releases = EnvelopeFiles.read(data, "git.releases");
    assertEquals(repository.releaseNames(), names(releases));
    assertEquals(250, releases.size());
    for (JsonNode envelope : releases) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      JsonNode release = envelope.path("data");
      int index = repository.releaseIndex(release.path("tag").asText());
      assertEquals(repository.releaseIsDraft(index), release.path("target_sha").isNull(), release::toString);
      if (!repository.releaseIsDraft(index)) {
        assertEquals(repository.releaseTarget(index), release.path("target_sha").asText());
      }
      assertEquals(repository.releaseIsPrerelease(index), release.path("prerelease").asBoolean());
    }

    simulator.resetStats();
    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, RELEASES).totalDelivered());
    }
    SimulatorStats idle = simulator.stats();
    assertEquals(0, idle.primaryPointsSpent(), idle::toString);
    assertEquals(3, idle.notModified(), "each of the three pages answered 304");

    repository.editRelease("v1.3.0");
    repository.addReleases(2);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, RELEASES);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.RELEASE, "v1.7.0")));
      assertEquals(false, collector.refresh(collector.target(url), new EntityRef(EntityKind.RELEASE, "v9.9.9")),
          "a release that is gone is nothing to deliver, and no error");
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.releases");
    List<JsonNode> added = all.subList(250, all.size());
    assertEquals(Map.of("v1.3.0", "Release v1.3.0 (edit 1)", "v1.250.0", "Release v1.250.0",
        "v1.251.0", "Release v1.251.0"), names(added.subList(0, 3)), "exactly the edited and the new releases");
    assertEquals("v1.7.0", added.get(3).path("data").path("tag").asText(), "then the refetched one");
    assertEquals(4, added.size());
  }
}
