package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming, bounded memory: a 200,000-commit history is collected by a JVM limited to 128 MB of heap. */
class MemoryBoundIT {
  private static final String TOKEN = "ghp_memoryBoundToken";

  @Test
  void twoHundredThousandCommitsFitIn128Megabytes(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/huge", RepositorySpec.of(200_000, 1_000, 2));
      Path data = work.resolve("data");
      ChildJvm child = ChildJvm.start(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN),
          List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
          "collect", "https://github.com/acme/huge", "--full", "--data-dir", data.toString());
      assertEquals(0, child.await(), child::stderr);
      assertEquals(200_000, EnvelopeFiles.countLines(data, "git.commits"));
      assertEquals(1_000, EnvelopeFiles.countLines(data, "git.pull_requests"));
    }
  }
}
