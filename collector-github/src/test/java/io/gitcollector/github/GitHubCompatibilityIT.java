package io.gitcollector.github;

import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.compat.PlatformCompatibilityKit;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The GitHub adapter runs the platform compatibility kit against the simulator. */
class GitHubCompatibilityIT extends PlatformCompatibilityKit {
  private static final String TOKEN = "ghp_compatibilityKitToken";
  private static GitHubSimulator simulator;
  private static SimulatedRepository repository;

  @BeforeAll
  static void start() {
    simulator = GitHubSimulator.builder().token(TOKEN).start();
    repository = simulator.addRepository("kit/sample", RepositorySpec.of(730, 240, 2));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Override
  protected PlatformProvider provider() {
    return new GitHubPlatformProvider();
  }

  @Override
  protected PlatformConfig config() {
    return PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl()).build();
  }

  @Override
  protected String repositoryUrl() {
    return "https://github.com/kit/sample";
  }

  @Override
  protected Set<String> expectedCommitShas() {
    return repository.commitShas();
  }

  @Override
  protected Set<Long> expectedPullRequestNumbers() {
    return repository.pullRequestVersions().keySet();
  }
}
