package io.gitcollector.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the GitLab adapter answers GitLab's errors: each as its own exception, retried where it may pass. */
class GitLabErrorsIT {
  private static final String TOKEN = "glpat-errorsToken0123456";
  private static GitLabSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = GitLabSimulator.start(TOKEN, Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static GitCollector collector(Path data, String url, String token) {
    return GitCollector.builder()
        .platform("gitlab", PlatformConfig.builder().token(Secret.of(token)).apiBaseUrl(url).build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  @Test
  void aRefusedTokenIsInvalidCredentialsAndTheTokenIsNotInTheMessage(@TempDir Path data) {
    simulator.addProject("errors/refused", RepositorySpec.of(10, 1, 1));
    try (GitCollector collector = collector(data, simulator.url(), "glpat-notTheRightOne0000")) {
      InvalidCredentialsException refused = assertThrows(InvalidCredentialsException.class,
          () -> collector.sync(simulator.url() + "/errors/refused", SyncMode.FULL));
      assertTrue(refused.getMessage().contains("401"), refused.getMessage());
      assertFalse(refused.getMessage().contains("glpat-"), refused.getMessage());
    }
  }

  @Test
  void anUnknownProjectIsRepositoryNotFound(@TempDir Path data) {
    try (GitCollector collector = collector(data, simulator.url(), TOKEN)) {
      RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
          () -> collector.sync(simulator.url() + "/errors/nowhere", SyncMode.FULL));
      assertTrue(missing.getMessage().contains("errors/nowhere"), missing.getMessage());
    }
  }

  @Test
  void serverErrorsAreRetriedAndNothingIsLost(@TempDir Path data) {
    SimulatedRepository project = simulator.addProject("errors/flaky", RepositorySpec.of(250, 5, 1));
    simulator.injectFault(Fault.SERVER_ERROR, "/repository/commits", 2);
    try (GitCollector collector = collector(data, simulator.url(), TOKEN)) {
      collector.sync(simulator.url() + "/errors/flaky", SyncMode.FULL);
    }
    Set<String> shas = new HashSet<>();
    EnvelopeFiles.read(data, "git.commits").forEach(e -> shas.add(e.path("data").path("sha").asText()));
    assertEquals(project.commitShas(), shas);
  }

  @Test
  void anUnreachableServerIsPlatformUnavailableNamingWhy(@TempDir Path data) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    try (GitCollector collector = collector(data, url, TOKEN)) {
      CollectorException down = assertThrows(PlatformUnavailableException.class,
          () -> collector.sync(url + "/errors/down", SyncMode.FULL));
      assertTrue(down.getMessage().contains("unreachable"), down.getMessage());
    }
  }
}
