package com.example.gitea;

import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.testkit.compat.PlatformCompatibilityKit;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The plugin proves itself with the platform compatibility kit, against a WireMock fake of Gitea. */
class GiteaPluginCompatibilityIT extends PlatformCompatibilityKit {
  private static FakeGitea gitea;

  @BeforeAll
  static void start() {
    gitea = new FakeGitea(130, 12);
  }

  @AfterAll
  static void stop() {
    gitea.close();
  }

  @Override
  protected PlatformProvider provider() {
    return new GiteaPlatformProvider();
  }

  @Override
  protected PlatformConfig config() {
    return PlatformConfig.builder().apiBaseUrl(gitea.apiBaseUrl()).token(Secret.of("gitea-token-for-tests"))
        .build();
  }

  @Override
  protected String repositoryUrl() {
    return gitea.repositoryUrl();
  }

  @Override
  protected Set<String> expectedCommitShas() {
    return gitea.commitShas();
  }

  @Override
  protected Set<Long> expectedPullRequestNumbers() {
    return gitea.pullNumbers();
  }
}
