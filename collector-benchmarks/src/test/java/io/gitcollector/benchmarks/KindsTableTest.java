package io.gitcollector.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of kinds is what the kinds declare (event type, stream name, default topic and the setting that
 * renames it, what the data holds, the schema): the kinds of the collector and of every adapter on the server's class
 * path. {@code mvn -B verify -Dreliability.write=true} writes it again with the README's other generated sections.
 */
class KindsTableTest {
  static final String BEGIN = "<!-- kinds:begin (generated from the declared kinds; mvn -B verify"
      + " -Dreliability.write=true) -->";
  static final String END = "<!-- kinds:end -->";
  private static final Path README = Path.of("..", "README.md");

  static String table() {
    // the catalog asks every adapter for its kinds, which declares a plugin's own
    ServerConfig.catalog(KindsTableTest.class.getClassLoader());
    StringBuilder table = new StringBuilder("| event type | kind (`--kinds`) | topic | topic setting | `data` |\n"
        + "|---|---|---|---|---|\n");
    for (EntityKind kind : EntityKind.all()) {
      // a kind only announced (a rename, a deletion) has no stream a user selects
      table.append("| `").append(kind.eventType()).append("` | ").append(kind.collected() ? "`" + kind.stream() + "`"
          : "(announced)").append(" | `")
          .append(kind.defaultTopic()).append("` | `KAFKA_").append(kind.topicSetting().replace('.', '_')
              .toUpperCase(java.util.Locale.ROOT)).append("` | ").append(kind.description()).append(" |\n");
    }
    return table.toString();
  }

  @Test
  void theReadmesTableIsWhatTheKindsDeclare() throws IOException {
    String generated = table();
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("reliability.write")) {
      Files.writeString(README, ReadmeSection.replace(readme, "kinds", BEGIN, END, generated), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated.strip(), ReadmeSection.current(readme, "kinds", BEGIN, END).strip(),
        "the README's table of kinds and the declared kinds differ; write it again with"
            + " mvn -B verify -Dreliability.write=true");
  }
}
