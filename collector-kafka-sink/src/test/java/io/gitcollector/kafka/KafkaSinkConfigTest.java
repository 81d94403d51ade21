package io.gitcollector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink's topics come from the declared kinds: one topic setting per default topic, read through it. */
class KafkaSinkConfigTest {

  @Test
  void everyDeclaredKindHasATopicAndKindsSharingOneShareItsSetting() {
    List<String> names = KafkaSinkConfig.settings().stream().map(Setting::name).toList();
    assertTrue(names.containsAll(List.of("topic.repositories", "topic.commits", "topic.pull_requests",
        "topic.issues")), names.toString());
    assertEquals(1, names.stream().filter("topic.repositories"::equals).count(),
        "repositories and contributors share one topic and one setting");
    KafkaSinkConfig defaults = KafkaSinkConfig.builder("localhost:9092").build();
    for (EntityKind kind : EntityKind.all()) {
      assertEquals(kind.defaultTopic(), defaults.topicOf(kind));
    }
    assertEquals("git.dlq", defaults.allTopics().get(defaults.allTopics().size() - 1));
  }

  @Test
  void aTopicSettingRenamesEveryKindOfItsTopic() {
    KafkaSinkConfig config = KafkaSinkConfig.from(ComponentConfig.of(Map.of("brokers", "localhost:9092",
        "topic.repositories", "team.repos", "topic.issues", "team.issues")));
    assertEquals("team.repos", config.topicOf(EntityKind.REPOSITORY));
    assertEquals("team.repos", config.topicOf(EntityKind.CONTRIBUTOR));
    assertEquals("team.issues", config.topicOf(EntityKind.ISSUE));
    assertEquals("git.commits", config.topicOf(EntityKind.COMMIT));
    assertFalse(config.allTopics().contains("git.repositories"));
  }
}
