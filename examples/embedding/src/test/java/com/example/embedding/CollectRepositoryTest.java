package com.example.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example program, run against the Git Collector simulator. */
class CollectRepositoryTest {

  @Test
  void summarizesAWholeRepository(@TempDir Path state) {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token("example-token").start()) {
      SimulatedRepository repository = simulator.addRepository("example/project", RepositorySpec.of(640, 90, 2));
      RepositorySummary summary = CollectRepository.collect("https://github.com/example/project",
          Optional.of(simulator.apiBaseUrl()), Optional.of("example-token"), state);
      assertEquals(640, summary.commits());
      assertEquals(90, summary.pullRequests());
      assertEquals(180, summary.reviews());
      long expectedAdditions = 0;
      for (int i = 0; i < 640; i++) {
        expectedAdditions += repository.additions(i);
      }
      assertEquals(expectedAdditions, summary.additions());
      assertTrue(summary.mergedPullRequests() > 0 && summary.mergedPullRequests() < 90);
      assertTrue(summary.toString().startsWith("640 commits"), summary.toString());
    }
  }
}
