package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A worker leaves the cluster while its tasks are collecting: Connect moves them to the other workers, which resume
 * from the committed source offsets. Without exactly-once delivery the pages after the last offset commit are written
 * again (counted and printed); with it, nothing is written twice.
 */
class ConnectorFailoverIT {
  private static final Duration LATENCY = Duration.ofMillis(15);

  @Test
  void aWorkerStoppedMidwayLosesNothingAndItsTasksMove() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      Result result = collectThroughAWorkerStop(bed, Map.of(), false);
      System.out.printf("connect failover (at least once): %d envelopes, %d written twice%n", result.envelopes,
          result.duplicates);
    }
  }

  @Test
  void withExactlyOnceAWorkerStoppedMidwayWritesNothingTwice() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of("exactly.once.source.support", "enabled"))) {
      // the connector's own boundary: each page is one transaction with the offset after it
      Result result = collectThroughAWorkerStop(bed, Map.of("exactly.once.support", "required",
          "transaction.boundary", "connector"), true);
      assertEquals(0, result.duplicates, "read_committed: nothing written twice");
      System.out.printf("connect failover (exactly once): %d envelopes, %d written twice%n", result.envelopes,
          result.duplicates);
    }
  }

  private record Result(long envelopes, long duplicates) {}

  private static Result collectThroughAWorkerStop(ConnectTestBed bed, Map<String, String> extra,
      boolean committedOnly) throws Exception {
    bed.github.setLatency(LATENCY);
    bed.gitlab.setLatency(LATENCY);
    bed.bitbucket.setLatency(LATENCY);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      urls.add(bed.addRepository(i, ConnectTestBed.spec(3_000)));
    }
    Map<String, String> config = new java.util.HashMap<>(bed.connectorConfig(urls, 3));
    config.putAll(extra);
    bed.connect.configureConnector("git", config);
    bed.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("git", 3, "three tasks run");
    Set<String> expected = bed.groundTruth(urls);

    // midway: some commits are written, far from all
    Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> bed.readAll("git.commits", committedOnly).size() > 2_000);
    WorkerHandle victim = workerRunningATask(bed);
    String gone = ":" + victim.url().getPort();
    bed.connect.removeWorker(victim);
    int before = bed.readAll("git.commits", committedOnly).size();
    assertTrue(before < 27_000, "the worker stopped midway, after " + before + " of 27,000 commits");

    // the status topic names the new workers once the moved tasks started there
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
      ConnectorStateInfo status = bed.connect.connectorStatus("git");
      return status.tasks().size() == 3 && status.tasks().stream()
          .allMatch(task -> task.state().equals("RUNNING") && !task.workerId().endsWith(gone));
    });

    Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
        .until(() -> bed.collected(bed.envelopes(committedOnly)).containsAll(expected));
    List<Envelope> envelopes = bed.envelopes(committedOnly);
    assertEquals(expected, bed.collected(envelopes), "nothing lost, nothing foreign");
    return new Result(envelopes.size(), ConnectTestBed.duplicates(envelopes));
  }

  private static WorkerHandle workerRunningATask(ConnectTestBed bed) {
    Set<String> busy = new java.util.HashSet<>();
    // worker ids are host:port of their REST listeners
    bed.connect.connectorStatus("git").tasks().forEach(task -> busy.add(task.workerId()
        .substring(task.workerId().lastIndexOf(':'))));
    return bed.connect.workers().stream()
        .filter(worker -> worker.url() != null && busy.contains(":" + worker.url().getPort()))
        .findFirst().orElseThrow(() -> new AssertionError("no worker runs a task: " + busy));
  }
}
