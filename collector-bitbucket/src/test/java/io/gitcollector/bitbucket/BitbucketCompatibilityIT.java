package io.gitcollector.bitbucket;

import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.bitbucket.BitbucketSimulator;
import io.gitcollector.testkit.compat.PlatformCompatibilityKit;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Bitbucket adapter runs the platform compatibility kit against the simulator. */
class BitbucketCompatibilityIT extends PlatformCompatibilityKit {
  private static final String TOKEN = "workspace-user:app-password-for-tests";
  private static BitbucketSimulator simulator;
  private static SimulatedRepository repository;

  @BeforeAll
  static void start() {
    simulator = BitbucketSimulator.start(TOKEN, Duration.ZERO);
    repository = simulator.addRepository("kit/sample", RepositorySpec.of(260, 60, 2));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Override
  protected PlatformProvider provider() {
    return new BitbucketPlatformProvider();
  }

  @Override
  protected PlatformConfig config() {
    return PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl()).build();
  }

  @Override
  protected String repositoryUrl() {
    return "https://bitbucket.org/kit/sample";
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
