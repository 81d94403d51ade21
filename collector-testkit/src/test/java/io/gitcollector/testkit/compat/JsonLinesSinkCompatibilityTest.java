package io.gitcollector.testkit.compat;

import io.gitcollector.core.jsonl.JsonLinesSink;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default sink runs the sink kit. */
class JsonLinesSinkCompatibilityTest extends SinkCompatibilityKit {
  @TempDir Path directory;

  @Override
  protected Sink createSink() {
    return new JsonLinesSink(directory);
  }

  @Override
  protected List<String> deliveredEventIds(String repositoryId) {
    return EnvelopeFiles.readAll(directory).stream()
        .filter(e -> e.path("repository_id").asText().equals(repositoryId))
        .map(e -> e.path("event_id").asText())
        .toList();
  }
}
