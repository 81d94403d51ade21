package io.gitcollector.testkit.compat;

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
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The deployments scenario every adapter runs against its simulator: a repository's 250 deployments collected whole
 * with their environment, commit and statuses; an idle incremental pass that delivers nothing; then two status
 * changes and a new deployment, of which an incremental pass delivers exactly those three, and a refetch of one.
 */
public final class DeploymentsScenario {
  private static final Optional<Set<EntityKind>> DEPLOYMENTS = Optional.of(Set.of(EntityKind.DEPLOYMENT));
  private static final int DEPLOYED = 250;

  /** How one platform's deployments read. */
  public interface Platform {
    GitCollector collector(Path data);

    /** The simulator's id of the deployment an envelope holds. */
    long simulatorId(JsonNode envelope);

    /** The platform's status of the deployment an envelope holds, as the simulator sets it. */
    String status(JsonNode envelope);

    /** The entity a refetch of the simulator's deployment names. */
    EntityRef ref(long simulatorId);

    /** What the platform keeps of a deployment's statuses: its history, or only the status it has now. */
    void checkStatuses(SimulatedRepository repository, int index, JsonNode deployment);

    /** Around the idle pass: the GitHub simulator counts the points it costs. */
    default void beforeIdlePass() {}

    default void afterIdlePass() {}
  }

  private DeploymentsScenario() {}

  /** Runs the scenario on a repository with {@code 250} deployments at {@code url}; {@code data} is empty. */
  public static void run(Platform platform, SimulatedRepository repository, String url, Path data) {
    try (GitCollector collector = platform.collector(data)) {
      assertEquals(DEPLOYED, collector.sync(collector.target(url), SyncMode.FULL, DEPLOYMENTS)
          .delivered(StreamKind.of(EntityKind.DEPLOYMENT)));
    }
    List<JsonNode> deployments = EnvelopeFiles.read(data, "git.deployments");
    assertEquals(repository.deploymentStates(), states(platform, deployments));
    for (JsonNode envelope : deployments) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      JsonNode deployment = envelope.path("data");
      int index = (int) (platform.simulatorId(envelope) - repository.deploymentId(0));
      platform.checkStatuses(repository, index, deployment);
      assertEquals(repository.deploymentEnvironment(index), deployment.path("environment").asText());
      assertEquals(repository.deploymentSha(index), deployment.path("sha").asText());
    }

    platform.beforeIdlePass();
    try (GitCollector collector = platform.collector(data)) {
      assertEquals(0, collector.sync(collector.target(url), SyncMode.INCREMENTAL, DEPLOYMENTS).totalDelivered());
    }
    platform.afterIdlePass();

    repository.setDeploymentStatus(DEPLOYED - 1, "success");
    repository.setDeploymentStatus(DEPLOYED - 4, "inactive");
    repository.addDeployments(1);
    try (GitCollector collector = platform.collector(data)) {
      collector.sync(collector.target(url), SyncMode.INCREMENTAL, DEPLOYMENTS);
      assertTrue(collector.refresh(collector.target(url), platform.ref(repository.deploymentId(3))));
    }
    List<JsonNode> all = EnvelopeFiles.read(data, "git.deployments");
    List<JsonNode> changed = all.subList(DEPLOYED, all.size() - 1);
    assertEquals(Map.of(repository.deploymentId(DEPLOYED - 1), "success", repository.deploymentId(DEPLOYED - 4),
        "inactive", repository.deploymentId(DEPLOYED), "pending"), states(platform, changed),
        "exactly the deployments whose status changed");
    assertEquals(repository.deploymentId(3), platform.simulatorId(all.get(all.size() - 1)), "the refetched one");
  }

  private static Map<Long, String> states(Platform platform, List<JsonNode> envelopes) {
    Map<Long, String> states = new TreeMap<>();
    envelopes.forEach(envelope -> states.put(platform.simulatorId(envelope), platform.status(envelope)));
    return states;
  }
}
