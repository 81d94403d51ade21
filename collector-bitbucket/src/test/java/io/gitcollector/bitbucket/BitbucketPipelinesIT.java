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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bitbucket Pipelines, newest first, the recent ones read again each pass, exactly those that changed emitted. */
class BitbucketPipelinesIT extends SimulatedBitbucket {
  private static final Optional<Set<EntityKind>> RUNS = Optional.of(Set.of(EntityKind.CI_RUN));

  /** Runs by the simulator's id (Bitbucket's uuid carries it in its low bits), at their update time. */
  private static Map<Long, Instant> versions(List<JsonNode> envelopes) {
    Map<Long, Instant> versions = new HashMap<>();
    envelopes.forEach(e -> versions.put(java.util.UUID.fromString(e.path("data").path("platform_id").asText()
        .replaceAll("[{}]", "")).getLeastSignificantBits(), Instant.parse(e.path("data").path("updated_at")
        .asText())));
    return versions;
  }

  @Test
  void everyPipelineThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/pipelines", RepositorySpec.of(50, 0, 0)
        .withCiRuns(400));
    String url = "https://bitbucket.org/acme/pipelines";
    try (GitCollector collector = collector(data)) {
      assertEquals(400, collector.sync(collector.target(url), SyncMode.FULL, RUNS)
          .delivered(StreamKind.of(EntityKind.CI_RUN)));
    }
    List<JsonNode> runs = EnvelopeFiles.read(data, "git.ci_runs");
    assertEquals(400, runs.size(), "exactly one envelope per pipeline");
    assertEquals(repository.ciRunVersions(), versions(runs));
    for (JsonNode envelope : runs) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
    }
    Map<String, Long> statuses = new HashMap<>();
    runs.forEach(e -> statuses.merge(e.path("data").path("status").asText(), 1L, Long::sum));
    assertEquals(Map.of("queued", 1L, "running", 1L, "cancelled", 16L, "failure", 40L, "success", 342L), statuses);

    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, RUNS).totalDelivered());
    }
    List<Long> finished = repository.finishCiRuns();
    long older = repository.ciRunId(250);
    repository.rerunCiRun(older);
    repository.addCiRuns(2);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, RUNS);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.CI_RUN,
          "{" + new java.util.UUID(0xC1L, repository.ciRunId(10)) + "}")));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.ci_runs");
    List<JsonNode> changed = all.subList(400, all.size() - 1);
    Set<Long> expected = new java.util.HashSet<>(finished);
    expected.addAll(List.of(older, repository.ciRunId(400), repository.ciRunId(401)));
    assertEquals(expected, versions(changed).keySet(), "the finished, the re-run and the new runs");
    assertEquals(expected.size(), changed.size());
    // Bitbucket reports when a pipeline completed, not when a pending one changed: finished ones are compared
    versions(changed.stream().filter(e -> !e.path("data").path("status").asText().equals("queued")).toList())
        .forEach((id, updated) -> assertEquals(repository.ciRunVersions().get(id), updated));
    JsonNode rerun = changed.stream().filter(e -> versions(List.of(e)).containsKey(older)).findFirst()
        .orElseThrow().path("data");
    assertEquals(2, rerun.path("attempt").asInt(), "a re-run is the pipeline's next run number");
    assertEquals("queued", rerun.path("status").asText());
    assertEquals(Set.of(repository.ciRunId(10)), versions(all.subList(all.size() - 1, all.size())).keySet(),
        "then the refetched run");
  }
}
