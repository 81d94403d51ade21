package io.gitcollector.testkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.SimulatedRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The organization scenario every adapter runs against its simulator: an organization of 1,000 repositories (forks,
 * private ones, archived ones and topics where the platform has them, a subgroup where it has those) listed whole and
 * set-equal to the truth, with and without filters; an idle pass that finds no change (and, where the platform
 * honours ETags, costs no point); then a repository created, one renamed, one archived, one deleted and one moved to
 * another owner, each reported as what it is by the next pass.
 */
public final class OrganizationScenario {
  static final int REPOSITORIES = 1_000;
  private static final Optional<Set<EntityKind>> COMMITS = Optional.of(Set.of(EntityKind.COMMIT));

  /** How one platform's organizations are made and changed. */
  public interface Platform {
    GitCollector collector(Path data);

    /** The organization's URL, as a user gives it. */
    String organizationUrl();

    /** Creates the {@code index}th repository of the organization (a platform with subgroups puts some there). */
    SimulatedRepository create(int index, String name);

    /** The repository's path below the organization ({@code svc-0001}, {@code platform/svc-0003}). */
    String relativePath(SimulatedRepository repository);

    void rename(SimulatedRepository repository, String newName);

    /** Moves the repository to another owner, outside the organization. */
    void moveOut(SimulatedRepository repository, String newOwner);

    void delete(SimulatedRepository repository);

    /** Whether the platform marks repositories archived and gives them topics (Bitbucket does neither). */
    boolean archivesAndTopics();

    /** Whether a moved repository still answers under its old path (GitHub redirects, GitLab follows its routes). */
    default boolean oldPathAnswersAfterMove() {
      return true;
    }

    /** Points the platform's budget spent so far, where it counts them. */
    default Optional<Long> pointsSpent() {
      return Optional.empty();
    }
  }

  private OrganizationScenario() {}

  public static void run(Platform platform, Path data) {
    List<SimulatedRepository> truth = new ArrayList<>();
    for (int i = 0; i < REPOSITORIES; i++) {
      SimulatedRepository repository = platform.create(i, String.format(Locale.ROOT, "svc-%04d", i));
      if (i % 10 == 3) {
        repository.markFork();
      }
      if (platform.archivesAndTopics()) {
        if (i % 7 == 1) {
          repository.archive();
        }
        if (i % 5 == 0) {
          repository.topics("team-a", "java");
        } else if (i % 5 == 1) {
          repository.topics("team-b");
        }
      }
      truth.add(repository);
    }

    try (GitCollector collector = platform.collector(data)) {
      GitCollector.OrganizationTarget organization = collector.organization(platform.organizationUrl());
      Discovery first = collector.discover(organization, RepositoryFilter.all());
      assertEquals(paths(platform, truth, r -> true), relative(platform, first.listed()));
      assertEquals(REPOSITORIES, first.added().size());
      assertEquals(List.of(), first.departed());
      assertTrue(first.pages() >= REPOSITORIES / 100, () -> first.pages() + " pages");
      collector.settle(organization, first);
      Discovery unsettled = collector.discover(organization, RepositoryFilter.all());
      assertEquals(List.of(), unsettled.added(), "a settled pass is the next one's baseline");

      RepositoryFilter filter = RepositoryFilter.builder().forks(false).archived(false).exclude("**svc-00*")
          .visibility("public").build();
      Discovery filtered = collector.discover(organization, filter);
      assertEquals(paths(platform, truth, r -> !r.isFork() && !r.isArchived() && !r.isPrivate()
          && !r.name().startsWith("svc-00")), relative(platform, filtered.selected()));
      if (platform.archivesAndTopics()) {
        Discovery teamA = collector.discover(organization, RepositoryFilter.builder().topics("team-a")
            .include("svc-*", "**/svc-*").build());
        assertEquals(paths(platform, truth, r -> r.topicNames().contains("team-a")), relative(platform, teamA.selected()));
      }

      long pointsBefore = platform.pointsSpent().orElse(0L);
      Discovery idle = collector.discover(organization, RepositoryFilter.all());
      assertEquals(List.of(), idle.added());
      assertEquals(List.of(), idle.renamed());
      assertEquals(List.of(), idle.archived());
      assertEquals(List.of(), idle.departed());
      assertEquals(first.listed().size(), idle.listed().size());
      platform.pointsSpent().ifPresent(after -> {
        assertEquals(0L, after - pointsBefore, "an unchanged organization costs no point");
        assertEquals(idle.pages(), idle.unchangedPages());
      });

      SimulatedRepository renamed = truth.get(11);
      String renamedUrl = first.listed().stream().filter(r -> r.repository().name().equals(renamed.name()))
          .findFirst().orElseThrow().repository().webUrl();
      GitCollector.Target oldTarget = collector.target(renamedUrl);
      assertEquals(1, collector.sync(oldTarget, SyncMode.FULL, COMMITS).totalDelivered());

      SimulatedRepository created = platform.create(REPOSITORIES, "svc-new");
      String before = platform.relativePath(renamed);
      platform.rename(renamed, "svc-renamed");
      SimulatedRepository archived = truth.get(12);
      if (platform.archivesAndTopics()) {
        archived.archive();
      }
      SimulatedRepository deleted = truth.get(13);
      String deletedPath = platform.relativePath(deleted);
      platform.delete(deleted);
      SimulatedRepository moved = truth.get(14);
      String movedPath = platform.relativePath(moved);
      platform.moveOut(moved, "elsewhere");
      truth.add(created);
      truth.remove(deleted);
      truth.remove(moved);

      Discovery changed = collector.discover(organization, RepositoryFilter.all());
      assertEquals(paths(platform, truth, r -> true), relative(platform, changed.listed()));
      assertEquals(Set.of(platform.relativePath(created).toLowerCase(Locale.ROOT)), relative(platform, changed.added()));
      assertEquals(1, changed.renamed().size(), changed.renamed()::toString);
      Discovery.Renamed rename = changed.renamed().get(0);
      assertTrue(rename.before().repository().path().toLowerCase(Locale.ROOT)
          .endsWith(before.toLowerCase(Locale.ROOT)), rename::toString);
      assertTrue(rename.after().repository().path().endsWith("svc-renamed"), rename::toString);
      assertEquals(rename.before().platformId(), rename.after().platformId());
      assertEquals(platform.archivesAndTopics() ? 1 : 0, changed.archived().size());
      Map<String, Discovery.Departure> departures = new TreeMap<>();
      changed.departed().forEach(d -> departures.put(d.repository().repository().path().toLowerCase(Locale.ROOT),
          d));
      assertEquals(2, departures.size(), departures::toString);
      Discovery.Departure gone = departures.values().stream()
          .filter(d -> d.repository().repository().path().endsWith(deletedPath)).findFirst().orElseThrow();
      assertEquals(Discovery.Departure.Reason.DELETED, gone.reason());
      Discovery.Departure out = departures.values().stream()
          .filter(d -> d.repository().repository().path().endsWith(movedPath)).findFirst().orElseThrow();
      // a platform that forgets the old path cannot tell a move out from a deletion: the repository is gone from here
      assertEquals(platform.oldPathAnswersAfterMove() ? Discovery.Departure.Reason.MOVED_OUT
          : Discovery.Departure.Reason.DELETED, out.reason(), out::toString);
      out.movedTo().ifPresent(to -> assertTrue(to.path().startsWith("elsewhere/"), to::toString));

      collector.settle(organization, changed);
      List<JsonNode> announced = EnvelopeFiles.read(data, "git.repositories").stream()
          .filter(e -> e.path("event_type").asText().startsWith("repository_") && !e.path("event_type").asText()
              .equals("repository_updated")).toList();
      announced.forEach(e -> assertEquals(List.of(), EnvelopeSchemas.violations(e), e::toString));
      JsonNode renameEvent = announced.stream().filter(e -> e.path("data").path("full_name").asText()
          .endsWith("svc-renamed")).findFirst().orElseThrow(() -> new AssertionError(announced.toString()));
      assertEquals("repository_renamed", renameEvent.path("event_type").asText());
      assertEquals(oldTarget.repositoryId(), renameEvent.path("data").path("previous_repository_id").asText());
      GitCollector.Target newTarget = collector.target(rename.after().repository().webUrl());
      assertEquals(newTarget.repositoryId(), renameEvent.path("repository_id").asText());
      long deletions = announced.stream().filter(e -> e.path("event_type").asText().equals("repository_deleted"))
          .count();
      assertEquals(platform.oldPathAnswersAfterMove() ? 1L : 2L, deletions, announced::toString);
      assertEquals(3L, announced.size(), announced::toString);
      // the cursors followed the rename: nothing is collected again under the new id
      assertEquals(0, collector.sync(newTarget, SyncMode.INCREMENTAL, COMMITS).totalDelivered());

      Discovery settled = collector.discover(organization, RepositoryFilter.all());
      assertEquals(List.of(), settled.added());
      assertEquals(List.of(), settled.renamed());
      assertEquals(List.of(), settled.departed());
    }
  }

  private static Set<String> relative(Platform platform, List<DiscoveredRepository> repositories) {
    return repositories.stream().map(r -> below(platform, r)).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The repository's path below the organization, lower case. */
  private static String below(Platform platform, DiscoveredRepository repository) {
    String organization = platform.organizationUrl().replaceFirst("^https?://[^/]+/", "");
    return repository.repository().path().substring(organization.length() + 1).toLowerCase(Locale.ROOT);
  }

  private static Set<String> paths(Platform platform, List<SimulatedRepository> truth,
      Predicate<SimulatedRepository> selected) {
    return truth.stream().filter(selected).map(platform::relativePath).map(p -> p.toLowerCase(Locale.ROOT))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
