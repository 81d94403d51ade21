package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.UnknownPlatformException;
import io.gitcollector.testkit.compat.OrganizationScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Organizations and users listed through {@code /orgs/{org}/repos} and {@code /users/{user}/repos}. */
class GitHubOrganizationIT extends SimulatedGitHub {

  @Test
  void anOrganizationOfAThousandRepositoriesIsListedFilteredAndFollowed(@TempDir Path data) {
    simulator.addOrganization("acme");
    OrganizationScenario.run(new OrganizationScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedGitHub.collector(directory);
      }

      @Override
      public String organizationUrl() {
        return "https://github.com/acme";
      }

      @Override
      public SimulatedRepository create(int index, String name) {
        RepositorySpec spec = RepositorySpec.of(1, 0, 0);
        return simulator.addRepository("acme/" + name, index % 3 == 2 ? spec.asPrivate() : spec);
      }

      @Override
      public String relativePath(SimulatedRepository repository) {
        return repository.name();
      }

      @Override
      public void rename(SimulatedRepository repository, String newName) {
        simulator.renameRepository(repository.fullName(), "acme/" + newName);
      }

      @Override
      public void moveOut(SimulatedRepository repository, String newOwner) {
        simulator.renameRepository(repository.fullName(), newOwner + "/" + repository.name());
      }

      @Override
      public void delete(SimulatedRepository repository) {
        simulator.deleteRepository(repository.fullName());
      }

      @Override
      public boolean archivesAndTopics() {
        return true;
      }

      @Override
      public Optional<Long> pointsSpent() {
        return Optional.of(simulator.stats().primaryPointsSpent());
      }
    }, data);
  }

  @Test
  void aUserIsListedLikeAnOrganization(@TempDir Path data) {
    simulator.addRepository("solo-dev/one", RepositorySpec.of(1, 0, 0));
    simulator.addRepository("solo-dev/two", RepositorySpec.of(1, 0, 0));
    try (GitCollector collector = collector(data)) {
      Discovery discovery = collector.discover(collector.organization("https://github.com/solo-dev"),
          RepositoryFilter.all());
      assertEquals(2, discovery.listed().size());
    }
  }

  @Test
  void anUnknownOrganizationOrANestedPathIsAClearError(@TempDir Path data) {
    try (GitCollector collector = collector(data)) {
      GitCollector.OrganizationTarget nobody = collector.organization("https://github.com/nobody-here");
      RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
          () -> collector.discover(nobody, RepositoryFilter.all()));
      assertEquals(true, missing.getMessage().contains("nobody-here"), missing.getMessage());
      assertThrows(UnknownPlatformException.class, () -> collector.organization("https://github.com/a/b"));
    }
  }
}
