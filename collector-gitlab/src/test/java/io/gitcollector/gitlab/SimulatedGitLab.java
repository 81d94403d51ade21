package io.gitcollector.gitlab;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the tests of one kind share: a simulator for the class, and a collector of it writing to a directory. */
abstract class SimulatedGitLab {
  static final String TOKEN = "glpat-simulatorToken0123";
  static GitLabSimulator simulator;

  @BeforeAll
  static void startSimulator() {
    simulator = GitLabSimulator.start(TOKEN, Duration.ZERO);
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  static GitCollector collector(Path data) {
    return GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.url()).build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  /** The kinds of a sync that collects one kind. */
  static Optional<Set<EntityKind>> only(EntityKind kind) {
    return Optional.of(Set.of(kind));
  }
}
