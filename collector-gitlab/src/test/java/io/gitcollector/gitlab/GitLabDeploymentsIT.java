package io.gitcollector.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.testkit.compat.DeploymentsScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitLab deployments by update time (GitLab keeps no status history: each carries the status it has now). */
class GitLabDeploymentsIT extends SimulatedGitLab {

  @Test
  void everyDeploymentWithItsStatusesThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addProject("acme/deployed", RepositorySpec.of(100, 0, 0)
        .withDeployments(250));
    DeploymentsScenario.run(new DeploymentsScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedGitLab.collector(directory);
      }

      @Override
      public long simulatorId(JsonNode envelope) {
        return envelope.path("data").path("platform_id").asLong();
      }

      @Override
      public String status(JsonNode envelope) {
        return envelope.path("data").path("status").asText();
      }

      @Override
      public EntityRef ref(long simulatorId) {
        return new EntityRef(EntityKind.DEPLOYMENT, Long.toString(simulatorId));
      }

      @Override
      public void checkStatuses(SimulatedRepository simulated, int index, JsonNode deployment) {
        assertEquals(1, deployment.path("statuses").size(), "the status it has now");
      }
    }, repository, simulator.url() + "/acme/deployed", data);
  }
}
