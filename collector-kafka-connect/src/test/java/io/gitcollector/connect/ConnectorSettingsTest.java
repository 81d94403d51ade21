package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

  @Test
  void platformSettingsTopicsAndKindsAreDerivedFromTheCollectorsDeclarations() {
    ConfigDef def = ConnectorSettings.definition();
    assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get("github.token").type);
    assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get("gitlab.token").type);
    assertEquals(ConfigDef.Type.STRING, def.configKeys().get("bitbucket.api.url").type);
    assertTrue(def.names().stream().noneMatch(name -> name.contains("webhook")), def.names().toString());
    assertEquals("git.commits", def.configKeys().get("topic.commits").defaultValue);
    assertEquals("git.repositories", def.configKeys().get("topic.repositories").defaultValue);
    assertEquals("git.dlq", def.configKeys().get("topic.dlq").defaultValue);
    assertEquals("git.issues", def.configKeys().get("topic.issues").defaultValue);
    assertTrue(def.names().contains("kinds") && def.names().contains("pipeline.depth"), def.names().toString());
  }

  @Test
  void theEngineIsConfiguredAsTheServerConfiguresItFromTheSameSettings() {
    Map<String, String> props = new HashMap<>();
    props.put("repositories", "https://git.example.test/team/app");
    props.put("gitlab.api.url", "https://git.example.test");
    props.put("gitlab.token", "glpat-0123456789");
    props.put("kinds", "commits,issues");
    props.put("topic.commits", "team.commits");
    ConnectorSettings settings = new ConnectorSettings(props);
    assertEquals(List.of("https://git.example.test/team/app"), settings.repositories());
    assertEquals("team.commits", settings.topics().get(EntityKind.COMMIT));
    assertEquals("git.pull_requests", settings.topics().get(EntityKind.PULL_REQUEST));
    assertEquals(java.util.Optional.of(java.util.Set.of(EntityKind.COMMIT, EntityKind.ISSUE)), settings.kinds());
    try (GitCollector collector = settings.collectorBuilder()
        .sink(new ConnectRecordSink(null, Map.of(), "unused", 1024, false)).stateStore(new TaskMemoryState())
        .build()) {
      assertEquals("gitlab:git.example.test/team/app", collector.repositoryId("https://git.example.test/team/app"));
    }
  }
}
