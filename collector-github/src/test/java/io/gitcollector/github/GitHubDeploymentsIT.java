package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.testkit.compat.DeploymentsScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployments with their status history; the recent ones read again, only the changed ones emitted. */
class GitHubDeploymentsIT extends SimulatedGitHub {

  @Test
  void everyDeploymentWithItsStatusesThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/deployed", RepositorySpec.of(100, 0, 0)
        .withDeployments(250));
    DeploymentsScenario.run(new DeploymentsScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedGitHub.collector(directory);
      }

      @Override
      public long simulatorId(JsonNode envelope) {
        return envelope.path("data").path("platform_id").asLong();
      }

      @Override
      public String status(JsonNode envelope) {
        return envelope.path("data").path("platform_status").asText();
      }

      @Override
      public EntityRef ref(long simulatorId) {
        return new EntityRef(EntityKind.DEPLOYMENT, Long.toString(simulatorId));
      }

      @Override
      public void checkStatuses(SimulatedRepository simulated, int index, JsonNode deployment) {
        assertEquals(simulated.deploymentStatuses(index).size(), deployment.path("statuses").size());
        assertEquals("pending", deployment.path("statuses").get(0).path("state").asText(), "oldest first");
      }

      @Override
      public void beforeIdlePass() {
        simulator.resetStats();
      }

      @Override
      public void afterIdlePass() {
        SimulatorStats idle = simulator.stats();
        assertEquals(0, idle.primaryPointsSpent(), idle::toString);
      }
    }, repository, "https://github.com/acme/deployed", data);
  }
}
