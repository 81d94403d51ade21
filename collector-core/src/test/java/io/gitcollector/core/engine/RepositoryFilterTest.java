package io.gitcollector.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.RepositoryRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepositoryFilterTest {
  private static final OrganizationRef GROUP = OrganizationRef.parse("https://gitlab.example.com/acme");

  private static DiscoveredRepository repository(String path, boolean fork, boolean archived, String visibility,
      String... topics) {
    return new DiscoveredRepository("1", RepositoryRef.parse("https://gitlab.example.com/acme/" + path), fork,
        archived, visibility, List.of(topics), 0, Optional.empty());
  }

  @Test
  void theDefaultSelectsEverything() {
    assertTrue(RepositoryFilter.all().matches(GROUP, repository("x/y", true, true, "private")));
  }

  @Test
  void patternsMatchThePathBelowTheOrganization() {
    RepositoryFilter filter = RepositoryFilter.builder().include("api-*", "platform/**").exclude("*-legacy").build();
    assertTrue(filter.matches(GROUP, repository("API-gateway", false, false, "public")));
    assertFalse(filter.matches(GROUP, repository("api-legacy", false, false, "public")));
    assertTrue(filter.matches(GROUP, repository("platform/db/primary", false, false, "public")));
    assertFalse(filter.matches(GROUP, repository("web/api-x", false, false, "public")), "* stops at /");
    assertFalse(filter.matches(GROUP, repository("web", false, false, "public")));
  }

  @Test
  void forksArchivedVisibilityAndTopicsAreConditions() {
    RepositoryFilter filter = RepositoryFilter.builder().forks(false).archived(false).visibility("private",
        "internal").topics("Team-A").build();
    assertTrue(filter.matches(GROUP, repository("a", false, false, "internal", "team-a")));
    assertFalse(filter.matches(GROUP, repository("a", true, false, "internal", "team-a")));
    assertFalse(filter.matches(GROUP, repository("a", false, true, "internal", "team-a")));
    assertFalse(filter.matches(GROUP, repository("a", false, false, "public", "team-a")));
    assertFalse(filter.matches(GROUP, repository("a", false, false, "private", "team-b")));
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertEquals("visibility: 'secret' is not one of",
        assertThrows(InvalidConfigurationException.class, () -> RepositoryFilter.builder().visibility("secret")
            .build()).getMessage().substring(0, 34));
    assertTrue(assertThrows(InvalidConfigurationException.class, () -> RepositoryFilter.builder().include("a b")
        .build()).getMessage().startsWith("include: 'a b'"));
  }
}
