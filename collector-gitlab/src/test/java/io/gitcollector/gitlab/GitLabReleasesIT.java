package io.gitcollector.gitlab;

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

/** GitLab releases: read whole each pass (GitLab cannot filter them by update), emitted only when they changed. */
class GitLabReleasesIT extends SimulatedGitLab {
  private static final Optional<Set<EntityKind>> RELEASES = Optional.of(Set.of(EntityKind.RELEASE));

  private static Map<String, String> names(List<JsonNode> envelopes) {
    Map<String, String> names = new TreeMap<>();
    envelopes.forEach(e -> names.put(e.path("data").path("tag").asText(), e.path("data").path("name").asText()));
    return names;
  }

  @Test
  void everyReleaseThenNothingThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("team/released", RepositorySpec.of(300, 0, 0)
        .withReleases(130));
    String url = simulator.url() + "/team/released";
    try (GitCollector collector = collector(data)) {
      assertEquals(130, collector.sync(collector.target(url), SyncMode.FULL, RELEASES)
          .delivered(StreamKind.of(EntityKind.RELEASE)));
    }
    List<JsonNode> releases = EnvelopeFiles.read(data, "git.releases");
    assertEquals(project.releaseNames(), names(releases));
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
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, RELEASES);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.RELEASE, "v1.2.0")));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.releases");
    assertEquals(List.of("v1.130.0", "v1.100.0", "v1.2.0"), all.subList(130, all.size()).stream()
        .map(e -> e.path("data").path("tag").asText()).toList(), "the new and the edited release, then the refetch");
  }
}
