package io.gitcollector.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrganizationRefTest {

  @Test
  void readsTheFormsUsersGive() {
    assertEquals(List.of("octo-org"), OrganizationRef.parse("https://github.com/octo-org/").pathSegments());
    OrganizationRef group = OrganizationRef.parse("https://gitlab.example.com:8443/group/sub");
    assertEquals("gitlab.example.com:8443", group.authority());
    assertEquals("gitlab:gitlab.example.com:8443/group/sub", group.organizationId("gitlab"));
    assertEquals("github:github.com/octo-org", OrganizationRef.parse("https://github.com:443/Octo-Org")
        .organizationId("github"));
  }

  @Test
  void holdsItsRepositoriesAndSubgroupsOnly() {
    OrganizationRef group = OrganizationRef.parse("https://gitlab.example.com/group");
    assertTrue(group.holds(RepositoryRef.parse("https://gitlab.example.com/Group/sub/project")));
    assertFalse(group.holds(RepositoryRef.parse("https://gitlab.example.com/groupie/project")));
    assertFalse(group.holds(RepositoryRef.parse("https://evil.example.com/group/project")));
    assertFalse(group.holds(RepositoryRef.parse("https://gitlab.example.com:8443/group/project")));
  }

  @Test
  void malformedUrlsNameTheOrganization() {
    MalformedRepositoryUrlException empty = assertThrows(MalformedRepositoryUrlException.class,
        () -> OrganizationRef.parse("https://github.com/"));
    assertEquals("malformed organization URL 'https://github.com/': it names no organization, group or workspace",
        empty.getMessage());
    assertThrows(MalformedRepositoryUrlException.class, () -> OrganizationRef.parse("ftp://github.com/org"));
    assertThrows(MalformedRepositoryUrlException.class, () -> OrganizationRef.parse("https://github.com/o%20rg"));
  }
}
