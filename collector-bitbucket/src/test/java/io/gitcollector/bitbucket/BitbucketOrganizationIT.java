package io.gitcollector.bitbucket;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.testkit.compat.OrganizationScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspaces listed through {@code /repositories/{workspace}}. */
class BitbucketOrganizationIT extends SimulatedBitbucket {

  @Test
  void aWorkspaceOfAThousandRepositoriesIsListedFilteredAndFollowed(@TempDir Path data) {
    OrganizationScenario.run(new OrganizationScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedBitbucket.collector(directory);
      }

      @Override
      public String organizationUrl() {
        return "https://bitbucket.org/acme";
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
        simulator.moveRepository(repository.fullName(), "acme/" + newName);
      }

      @Override
      public void moveOut(SimulatedRepository repository, String newOwner) {
        simulator.moveRepository(repository.fullName(), newOwner + "/" + repository.name());
      }

      @Override
      public void delete(SimulatedRepository repository) {
        simulator.deleteRepository(repository.fullName());
      }

      @Override
      public boolean archivesAndTopics() {
        return false;
      }

      @Override
      public boolean oldPathAnswersAfterMove() {
        return false;
      }
    }, data);
  }
}
