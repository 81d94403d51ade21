package io.gitcollector.bitbucket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.testkit.compat.DeploymentsScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bitbucket deployments, read whole each pass (no documented order or filter), emitted when they changed. */
class BitbucketDeploymentsIT extends SimulatedBitbucket {

  @Test
  void everyDeploymentWithItsStatusesThenExactlyTheChangedOnes(@TempDir Path data) {
    SimulatedRepository repository = simulator.addRepository("acme/deployed", RepositorySpec.of(100, 0, 0)
        .withDeployments(250));
    DeploymentsScenario.run(new DeploymentsScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedBitbucket.collector(directory);
      }

      /** Bitbucket's uuid carries the simulator's id in its low bits. */
      @Override
      public long simulatorId(JsonNode envelope) {
        return UUID.fromString(envelope.path("data").path("platform_id").asText().replaceAll("[{}]", ""))
            .getLeastSignificantBits();
      }

      @Override
      public String status(JsonNode envelope) {
        return envelope.path("data").path("status").asText();
      }

      @Override
      public EntityRef ref(long simulatorId) {
        return new EntityRef(EntityKind.DEPLOYMENT, "{" + new UUID(0xD0L, simulatorId) + "}");
      }

      @Override
      public void checkStatuses(SimulatedRepository simulated, int index, JsonNode deployment) {
        assertEquals(1, deployment.path("statuses").size(), "the status it has now");
      }
    }, repository, "https://bitbucket.org/acme/deployed", data);
  }
}
