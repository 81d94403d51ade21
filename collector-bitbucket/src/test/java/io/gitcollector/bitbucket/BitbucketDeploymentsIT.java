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

/** Bitbucket deployments, read whole each pass (no documented order or filter), emitted when they changed. */
class BitbucketDeploymentsIT extends SimulatedBitbucket {
  private static final Optional<Set<EntityKind>> DEPLOYMENTS = Optional.of(Set.of(EntityKind.DEPLOYMENT));

  /** Deployments by the simulator's id (Bitbucket's uuid carries it in its low bits), with their status. */
  private static Map<Long, String> states(List<JsonNode> envelopes) {
    Map<Long, String> states = new TreeMap<>();
    envelopes.forEach(e -> states.put(java.util.UUID.fromString(e.path("data").path("platform_id").asText()
        .replaceAll("[{}]", "")).getLeastSignificantBits(), e.path("data").path("status").asText()));
    return states;
  }

  @Test
  void everyDeploymentWithItsStatusesThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/deployed", RepositorySpec.of(100, 0, 0)
        .withDeployments(250));
    String url = "https://bitbucket.org/acme/deployed";
    try (GitCollector collector = collector(data)) {
      assertEquals(250, collector.sync(collector.target(url), SyncMode.FULL, DEPLOYMENTS)
          .delivered(StreamKind.of(EntityKind.DEPLOYMENT)));
    }
    List<JsonNode> deployments = EnvelopeFiles.read(data, "git.deployments");
    assertEquals(repository.deploymentStates(), states(deployments));
    for (JsonNode envelope : deployments) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      JsonNode deployment = envelope.path("data");
      int index = (int) (states(List.of(envelope)).keySet().iterator().next() - repository.deploymentId(0));
      assertEquals(1, deployment.path("statuses").size(), "the status it has now");
      assertEquals(repository.deploymentEnvironment(index), deployment.path("environment").asText());
      assertEquals(repository.deploymentSha(index), deployment.path("sha").asText());
    }

    try (GitCollector collector = collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, DEPLOYMENTS).totalDelivered());
    }

    repository.setDeploymentStatus(249, "success");
    repository.setDeploymentStatus(246, "inactive");
    repository.addDeployments(1);
    try (GitCollector collector = collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, DEPLOYMENTS);
      assertTrue(collector.refresh(collector.target(url), new EntityRef(EntityKind.DEPLOYMENT,
          "{" + new java.util.UUID(0xD0L, repository.deploymentId(3)) + "}")));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.deployments");
    List<JsonNode> changed = all.subList(250, all.size() - 1);
    assertEquals(Map.of(repository.deploymentId(249), "success", repository.deploymentId(246), "inactive",
        repository.deploymentId(250), "pending"), states(changed), "exactly the deployments whose status changed");
    assertEquals(Set.of(repository.deploymentId(3)), states(all.subList(all.size() - 1, all.size())).keySet());
  }
}
