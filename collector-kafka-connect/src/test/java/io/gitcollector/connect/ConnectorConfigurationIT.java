package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The connector as an operator changes and mistypes it: repositories added and removed, a configuration Connect's
 * validate endpoint refuses field by field, a repository that does not exist beside ones that do, and a task waiting
 * for a rate limit when the connector is deleted.
 */
class ConnectorConfigurationIT {

  @Test
  void addingAndRemovingRepositoriesCollectsOnlyWhatChanged() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      List<String> first = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        first.add(bed.addRepository(i, ConnectTestBed.spec(150)));
      }
      bed.connect.configureConnector("git", bed.connectorConfig(first, 3));
      Set<String> expectedFirst = bed.groundTruth(first);
      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> bed.collected(bed.envelopes(false)).containsAll(expectedFirst));
      // let the worker commit the offsets of what it wrote (offset.flush.interval.ms=1000)
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> committedPartitions(bed) >= 9 * 4);
      Map<String, Long> perRepositoryBefore = perRepository(bed.envelopes(false));

      List<String> second = new ArrayList<>(first.subList(2, 9));
      second.add(bed.addRepository(9, ConnectTestBed.spec(150)));
      second.add(bed.addRepository(10, ConnectTestBed.spec(150)));
      bed.connect.configureConnector("git", bed.connectorConfig(second, 3));
      Set<String> expectedAll = bed.groundTruth(List.of(first, second).stream().flatMap(List::stream)
          .distinct().toList());
      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> bed.collected(bed.envelopes(false)).containsAll(expectedAll));

      List<Envelope> envelopes = bed.envelopes(false);
      assertEquals(expectedAll, bed.collected(envelopes));
      Map<String, Long> perRepositoryAfter = perRepository(envelopes);
      for (String url : first) {
        String id = bed.repositoryId(url);
        assertEquals(perRepositoryBefore.get(id), perRepositoryAfter.get(id),
            url + ": kept or removed, it is not collected again");
      }
      assertEquals(0, ConnectTestBed.duplicates(envelopes), "the restarted tasks resumed from their offsets");
    }
  }

  @Test
  void theValidateEndpointNamesEachBadField() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      String good = bed.addRepository(0, ConnectTestBed.spec(10));
      Map<String, String> valid = new HashMap<>(bed.connectorConfig(List.of(good), 1));
      valid.put("name", "git");
      ConfigInfos ok = bed.connect.validateConnectorConfig(GitCollectorSourceConnector.class.getSimpleName(), valid);
      assertEquals(0, ok.errorCount(), () -> errors(ok).toString());

      Map<String, String> fields = new HashMap<>(valid);
      fields.put("poll.interval.ms", "10");
      fields.put("value.schema", "avro");
      fields.put("github.api.url", "not a url");
      fields.put("topic.commits", "bad topic name!");
      ConfigInfos badFields = bed.connect.validateConnectorConfig(
          GitCollectorSourceConnector.class.getSimpleName(), fields);
      Map<String, List<String>> fieldErrors = errors(badFields);
      assertEquals(Set.of("poll.interval.ms", "value.schema", "github.api.url", "topic.commits"),
          fieldErrors.keySet(), fieldErrors::toString);

      Map<String, String> crossField = new HashMap<>(valid);
      crossField.put("repositories", good + ",https://git.unknown.test/a/b,not-a-url");
      crossField.put("kinds", "commits,wikis");
      Map<String, List<String>> crossErrors = errors(bed.connect.validateConnectorConfig(
          GitCollectorSourceConnector.class.getSimpleName(), crossField));
      assertEquals(Set.of("kinds"), crossErrors.keySet(), crossErrors::toString);
      crossField.put("kinds", "commits");
      crossErrors = errors(bed.connect.validateConnectorConfig(GitCollectorSourceConnector.class.getSimpleName(),
          crossField));
      assertEquals(Set.of("repositories"), crossErrors.keySet(), crossErrors::toString);
      List<String> repositoryErrors = crossErrors.get("repositories");
      assertEquals(2, repositoryErrors.size(), repositoryErrors::toString);
      assertTrue(repositoryErrors.get(0).startsWith("https://git.unknown.test/a/b: "), repositoryErrors::toString);
      assertTrue(repositoryErrors.get(1).startsWith("not-a-url: "), repositoryErrors::toString);
      assertTrue(errors(badFields).values().stream().flatMap(List::stream)
          .noneMatch(message -> message.contains(ConnectTestBed.GITHUB_TOKEN)), "no secret in a message");
    }
  }

  @Test
  void aRepositoryThatDoesNotExistIsReportedAndTheOthersAreCollected() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        urls.add(bed.addRepository(i, ConnectTestBed.spec(100)));
      }
      String missing = "https://github.com/team/never-created";
      List<String> configured = new ArrayList<>(urls);
      configured.add(missing);
      bed.connect.configureConnector("git", bed.connectorConfig(configured, 1));
      Set<String> expected = bed.groundTruth(urls);
      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> bed.collected(bed.envelopes(false)).containsAll(expected)
              && !bed.readAll("git.dlq", false).isEmpty());
      List<ConsumerRecord<byte[], byte[]>> letters = bed.readAll("git.dlq", false);
      assertEquals(1, letters.size());
      String letter = ConnectTestBed.text(letters.get(0).value());
      assertTrue(letter.contains("\"event_type\":\"repository_failed\"") && letter.contains("REPOSITORY_NOT_FOUND")
          && letter.contains("github:github.com/team/never-created"), letter);
      assertEquals("github:github.com/team/never-created", ConnectTestBed.text(letters.get(0).key()));
      bed.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("git", 1, "the task goes on");
      assertEquals(1.0, pluginMetric("repository-failures-total"), "counted in the worker's metrics (JMX)");
      assertEquals(1.0, pluginMetric("repositories-failing"));
    }
  }

  @Test
  void aTaskWaitingForARateLimitStopsWhenTheConnectorIsDeleted() throws Exception {
    try (ConnectTestBed bed = new ConnectTestBed(Map.of())) {
      String url = bed.addRepository(0, ConnectTestBed.spec(2_000));
      // a window the governor waits for (a longer one than max.rate.limit.wait fails the sync instead)
      bed.github.setCoreRateLimit(5, Duration.ofMinutes(10));
      bed.github.setGraphqlRateLimit(5, Duration.ofMinutes(10));
      bed.connect.configureConnector("git", bed.connectorConfig(List.of(url), 1));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> syncThreadWaiting());
      bed.connect.deleteConnector("git");
      bed.connect.assertions().assertConnectorDoesNotExist("git", "deleted");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> syncThreads().isEmpty());
    }
  }

  /** A metric of the task's, as JMX shows it: the workers run in this JVM. */
  private static double pluginMetric(String name) throws Exception {
    javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    for (javax.management.ObjectName bean : server.queryNames(new javax.management.ObjectName(
        "kafka.connect:type=plugins,*"), null)) {
      if (java.util.Arrays.stream(server.getMBeanInfo(bean).getAttributes()).anyMatch(a -> a.getName().equals(name))) {
        return ((Number) server.getAttribute(bean, name)).doubleValue();
      }
    }
    throw new AssertionError("no plugin metric " + name + " among "
        + server.queryNames(new javax.management.ObjectName("kafka.connect:*"), null));
  }

  private static List<Thread> syncThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("git-collector-connect-sync") && thread.isAlive()).toList();
  }

  /** A sync thread sleeping in the rate-limit governor. */
  private static boolean syncThreadWaiting() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(entry -> entry.getKey().getName().startsWith("git-collector"))
        .anyMatch(entry -> java.util.Arrays.stream(entry.getValue())
            .anyMatch(frame -> frame.getClassName().endsWith("RateLimitGovernor")));
  }

  private static Map<String, List<String>> errors(ConfigInfos infos) {
    return infos.configs().stream().map(ConfigInfo::configValue).filter(value -> !value.errors().isEmpty())
        .collect(Collectors.toMap(value -> value.name(), value -> value.errors()));
  }

  private static long committedPartitions(ConnectTestBed bed) {
    return bed.connect.connectorOffsets("git").offsets().size();
  }

  private static Map<String, Long> perRepository(List<Envelope> envelopes) {
    return envelopes.stream().collect(Collectors.groupingBy(Envelope::repositoryId, Collectors.counting()));
  }
}
