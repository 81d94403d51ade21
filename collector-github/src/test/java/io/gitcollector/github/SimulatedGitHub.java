package io.gitcollector.github;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.github.GitHubSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the tests of one kind share: a simulator for the class, and a collector of it writing to a directory. */
abstract class SimulatedGitHub {
  static final String TOKEN = "ghp_simulatorToken0123456789";
  static GitHubSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator = GitHubSimulator.builder().token(TOKEN).start();
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  static GitCollector collector(Path data) {
    return GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl()).build())
        .dataDirectory(data).retry(4, Duration.ofMillis(20)).build();
  }

  /** The kinds of a sync that collects one kind. */
  static Optional<Set<EntityKind>> only(EntityKind kind) {
    return Optional.of(Set.of(kind));
  }
}
