package io.gitcollector.gitlab;

import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.compat.PlatformCompatibilityKit;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The GitLab adapter runs the platform compatibility kit against the simulator. */
class GitLabCompatibilityIT extends PlatformCompatibilityKit {
  private static final String TOKEN = "glpat-compatibilityKit";
  private static GitLabSimulator simulator;
  private static SimulatedRepository project;

  @BeforeAll
  static void start() {
    simulator = GitLabSimulator.start(TOKEN, Duration.ZERO);
    project = simulator.addProject("kit/group/sample", RepositorySpec.of(260, 60, 2));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Override
  protected PlatformProvider provider() {
    return new GitLabPlatformProvider();
  }

  @Override
  protected PlatformConfig config() {
    return PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.url()).build();
  }

  @Override
  protected String repositoryUrl() {
    return simulator.url() + "/kit/group/sample";
  }

  @Override
  protected Set<String> expectedCommitShas() {
    return project.commitShas();
  }

  @Override
  protected Set<Long> expectedPullRequestNumbers() {
    return project.pullRequestVersions().keySet();
  }
}
