package io.gitcollector.bitbucket;

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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bitbucket tags as releases: read whole each pass, emitted when new or changed; a draft has no tag yet. */
class BitbucketReleasesIT extends SimulatedBitbucket {
  private static final Optional<Set<EntityKind>> RELEASES = Optional.of(Set.of(EntityKind.RELEASE));

  private static Map<String, String> names(List<JsonNode> envelopes) {
    Map<String, String> names = new TreeMap<>();
    envelopes.forEach(e -> names.put(e.path("data").path("tag").asText(), e.path("data").path("name").asText()));
    return names;
  }

  @Test
  void everyReleaseThenNothingThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository project = simulator.addRepository("team/tagged", RepositorySpec.of(300, 0, 0)
        .withReleases(150));
    String url = "https://bitbucket.org/team/tagged";
    try (GitCollector collector = collector(data)) {
      assertEquals(135, collector.sync(collector.target(url), SyncMode.FULL, RELEASES)
          .delivered(StreamKind.of(EntityKind.RELEASE)), "150 releases, 15 of them drafts without a tag");
    }
    List<JsonNode> releases = EnvelopeFiles.read(data, "git.releases");
    Map<String, String> tags = new TreeMap<>();
    project.releaseNames().keySet().stream().filter(tag -> !project.releaseIsDraft(project.releaseIndex(tag)))
        .forEach(tag -> tags.put(tag, tag));
    assertEquals(tags, names(releases), "a tag's name is its release name");
    for (JsonNode envelope : releases) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      int index = project.releaseIndex(envelope.path("data").path("tag").asText());
      assertEquals(project.releaseTarget(index), envelope.path("data").path("target_sha").asText());
    }
    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, RELEASES).totalDelivered());
    }
    project.editRelease("v1.100.0");
    project.addReleases(1);
    project.editRelease("v1.101.0");
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, RELEASES);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.RELEASE, "v1.2.0")));
      assertEquals(false, collector.refresh(collector.target(url), new EntityRef(EntityKind.RELEASE, "v1.9.0")),
          "a draft's tag does not exist");
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.releases");
    assertEquals(List.of("v1.150.0", "v1.100.0", "v1.2.0"), all.subList(135, all.size()).stream()
        .map(e -> e.path("data").path("tag").asText()).toList(),
        "the new tag and the annotated one whose message changed (not the lightweight one, which has none), then the"
            + " refetch");
  }
}
