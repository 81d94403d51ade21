package io.gitcollector.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryRefTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "https://github.com/octocat/Hello-World",
      "https://github.com/octocat/Hello-World/",
      "https://github.com/octocat/Hello-World.git",
      "http://GitHub.com/octocat/hello-world",
      "git@github.com:octocat/Hello-World.git",
      "git@github.com:octocat/Hello-World",
      "ssh://git@github.com/octocat/Hello-World.git",
      "  https://github.com/octocat/Hello-World  "})
  void everyFormOfOneRepositoryHasOneId(String url) {
    RepositoryRef ref = RepositoryRef.parse(url);
    assertEquals("github:github.com/octocat/hello-world", ref.repositoryId("github"));
    assertEquals("github.com", ref.host());
    assertEquals("Hello-World".toLowerCase(), ref.name().toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://gitlab.example.com/group/sub/project",
      "https://gitlab.example.com/group/sub/project.git",
      "git@gitlab.example.com:group/sub/project.git"})
  void nestedGroupsKeepTheirFullPath(String url) {
    RepositoryRef ref = RepositoryRef.parse(url);
    assertEquals(List.of("group", "sub", "project"), ref.pathSegments());
    assertEquals("gitlab:gitlab.example.com/group/sub/project", ref.repositoryId("gitlab"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "github.com/octocat", "https://github.com/", "https://github.com/octocat",
      "ftp://github.com/octocat/repo", "https://github.com/octo cat/repo", "https:///octocat/repo",
      "https://github.com/octocat/../repo", "not a url at all"})
  void malformedUrlsAreRefusedWithTheReason(String url) {
    MalformedRepositoryUrlException error =
        assertThrows(MalformedRepositoryUrlException.class, () -> RepositoryRef.parse(url));
    assertEquals(ErrorCode.MALFORMED_URL, error.code());
    assertTrue(error.getMessage().startsWith("malformed repository URL"), error.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://ghe.example.com:8443/team/service"})
  void aPortIsPartOfTheId(String url) {
    assertEquals("github:ghe.example.com:8443/team/service", RepositoryRef.parse(url).repositoryId("github"));
  }
}
