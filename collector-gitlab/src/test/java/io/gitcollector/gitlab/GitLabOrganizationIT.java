package io.gitcollector.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.testkit.compat.OrganizationScenario;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groups listed with their subgroups through {@code /groups/:id/projects?include_subgroups=true}. */
class GitLabOrganizationIT extends SimulatedGitLab {

  @Test
  void aGroupOfAThousandProjectsWithASubgroupIsListedFilteredAndFollowed(@TempDir Path data) {
    OrganizationScenario.run(new OrganizationScenario.Platform() {
      @Override
      public GitCollector collector(Path directory) {
        return SimulatedGitLab.collector(directory);
      }

      @Override
      public String organizationUrl() {
        return simulator.url() + "/acme";
      }

      @Override
      public SimulatedRepository create(int index, String name) {
        RepositorySpec spec = RepositorySpec.of(1, 0, 0);
        String group = index % 4 == 3 ? "acme/platform/" : "acme/";
        return simulator.addProject(group + name, index % 3 == 2 ? spec.asPrivate() : spec);
      }

      @Override
      public String relativePath(SimulatedRepository repository) {
        return repository.fullName().substring("acme/".length());
      }

      @Override
      public void rename(SimulatedRepository repository, String newName) {
        simulator.moveProject(repository.fullName(), repository.owner() + "/" + newName);
      }

      @Override
      public void moveOut(SimulatedRepository repository, String newOwner) {
        simulator.moveProject(repository.fullName(), newOwner + "/" + repository.name());
      }

      @Override
      public void delete(SimulatedRepository repository) {
        simulator.deleteProject(repository.fullName());
      }

      @Override
      public boolean archivesAndTopics() {
        return true;
      }
    }, data);
  }

  @Test
  void aSubgroupIsAnOrganizationOfItsOwn(@TempDir Path data) {
    simulator.addProject("corp/infra/db", RepositorySpec.of(1, 0, 0));
    simulator.addProject("corp/infra/deep/cache", RepositorySpec.of(1, 0, 0));
    simulator.addProject("corp/web", RepositorySpec.of(1, 0, 0));
    try (GitCollector collector = collector(data)) {
      Discovery infra = collector.discover(collector.organization(simulator.url() + "/corp/infra"),
          RepositoryFilter.all());
      assertEquals(2, infra.listed().size(), infra.listed()::toString);
      Discovery deep = collector.discover(collector.organization(simulator.url() + "/corp"),
          RepositoryFilter.builder().include("infra/**").build());
      assertEquals(3, deep.listed().size());
      assertEquals(2, deep.selected().size(), deep.selected()::toString);
    }
  }
}
