package io.gitcollector.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is what the components declare: the server, the collector, every adapter, sink,
 * state store and coordinator of the server's class path. {@code mvn -B verify -Dreliability.write=true} writes it
 * again with the README's other generated sections.
 */
class ConfigurationTableTest {
  static final String BEGIN = "<!-- configuration:begin (generated from the components' declared settings;"
      + " mvn -B verify -Dreliability.write=true) -->";
  static final String END = "<!-- configuration:end -->";
  private static final Path README = Path.of("..", "README.md");

  @Test
  void theReadmesTableIsWhatTheComponentsDeclare() throws IOException {
    String generated = ServerConfig.catalog(getClass().getClassLoader()).markdownTable();
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("reliability.write")) {
      Files.writeString(README, ReadmeSection.replace(readme, "configuration", BEGIN, END, generated),
          StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated.strip(), ReadmeSection.current(readme, "configuration", BEGIN, END).strip(),
        "the README's configuration table and the declared settings differ; write it again with"
            + " mvn -B verify -Dreliability.write=true");
  }
}
