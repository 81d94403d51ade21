package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConnectorTaskConfigsTest {

  private static Map<String, String> config(List<String> repositories) {
    Map<String, String> config = new HashMap<>();
    config.put("name", "git");
    config.put("repositories", String.join(",", repositories));
    config.put("github.token", "ghp_taskConfigsToken");
    return config;
  }

  private static List<Map<String, String>> taskConfigs(List<String> repositories, int maxTasks) {
    GitCollectorSourceConnector connector = new GitCollectorSourceConnector();
    connector.start(config(repositories));
    return connector.taskConfigs(maxTasks);
  }

  @Test
  void eachTaskGetsItsShareAndTasksWhoseShareDidNotChangeKeepTheirConfiguration() {
    List<String> repositories = IntStream.range(0, 12).mapToObj(i -> "https://github.com/acme/repo-" + i).toList();
    List<Map<String, String>> before = taskConfigs(repositories, 3);
    assertEquals(3, before.size());
    List<String> assigned = new ArrayList<>();
    before.forEach(task -> assigned.addAll(List.of(task.get("repositories").split(","))));
    assertEquals(repositories.size(), assigned.size());
    assertTrue(assigned.containsAll(repositories));
    before.forEach(task -> assertEquals("3", task.get(ConnectorSettings.TASK_COUNT)));
    assertTrue(before.stream().allMatch(task -> task.get("github.token").equals("ghp_taskConfigsToken")));

    List<String> more = new ArrayList<>(repositories);
    more.add("https://github.com/acme/one-more");
    List<Map<String, String>> after = taskConfigs(more, 3);
    long unchanged = before.stream().filter(after::contains).count();
    assertEquals(2, unchanged, "only the task that takes the new repository changes");
  }

  @Test
  void fewerRepositoriesThanTasksMakesNoIdleTask() {
    List<Map<String, String>> configs = taskConfigs(List.of("https://github.com/acme/only"), 4);
    assertEquals(1, configs.size());
    assertEquals("1", configs.get(0).get(ConnectorSettings.TASK_COUNT));
  }
}
