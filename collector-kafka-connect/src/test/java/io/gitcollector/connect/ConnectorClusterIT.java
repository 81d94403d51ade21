package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The connector on a three-worker Connect cluster (Kafka's own {@code EmbeddedConnectCluster}) collecting simulated
 * repositories of all three platforms.
 */
class ConnectorClusterIT {

  @Test
  void thirtyRepositoriesOnThreePlatformsByThreeTasksAreCollectedWhole() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        urls.add(bed.addRepository(i, ConnectTestBed.spec(200 + 10 * i)));
      }
      bed.connect.configureConnector("git", bed.connectorConfig(urls, 3));
      bed.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("git", 3, "three tasks run");
      Set<String> expected = bed.groundTruth(urls);
      Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> bed.collected(bed.envelopes(false)).containsAll(expected));
      List<Envelope> envelopes = bed.envelopes(false);
      assertEquals(expected, bed.collected(envelopes), "every topic holds exactly the simulators' entities");
      assertEquals(0, ConnectTestBed.duplicates(envelopes), "nothing written twice");
      System.out.printf("connect: 30 repositories, 3 tasks, %d envelopes%n", envelopes.size());
      assertTrue(bed.readAll("git.dlq", false).isEmpty(), "no dead letters");
    }
  }
}
