package io.gitcollector.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.ProtocolException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiOriginsTest {
  private final ApiOrigins github = ApiOrigins.of("https://api.github.com", "https://api.github.com/graphql");

  @Test
  void sameSchemeHostAndPortIsAllowedWhateverThePath() {
    assertTrue(github.allows("https://api.github.com/repos/a/b/contributors?page=2"));
    assertTrue(github.allows("https://API.GitHub.com:443/graphql"), "case and the default port written out");
  }

  @Test
  void anotherHostPortOrSchemeIsRefused() {
    assertFalse(github.allows("https://api.github.com.evil.example/repos"));
    assertFalse(github.allows("https://api.github.com:8443/repos"), "another port of the same host");
    assertFalse(github.allows("http://api.github.com/repos"), "plain http");
    assertFalse(github.allows("https://evil.example/?u=https://api.github.com"));
    assertFalse(github.allows("//api.github.com/repos"), "no scheme");
    assertFalse(github.allows("ftp://api.github.com/"));
  }

  @Test
  void userInfoDoesNotDisguiseTheHost() {
    assertFalse(github.allows("https://api.github.com@evil.example/repos"));
  }

  @Test
  void aRefusalNamesTheForeignOriginButNotItsPathOrQuery() {
    ProtocolException refused = assertThrows(ProtocolException.class,
        () -> github.require("https://evil.example:444/steal?token=abc", "the next-page link of contributors"));
    assertTrue(refused.getMessage().startsWith("the next-page link of contributors points to https://evil.example:444"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("steal") || refused.getMessage().contains("abc"), refused.getMessage());
  }

  @Test
  void originsAreWrittenWithTheirPort() {
    assertEquals(Optional.of("http://127.0.0.1:80"), ApiOrigins.originOf("http://127.0.0.1/api/v4"));
    assertEquals(Optional.empty(), ApiOrigins.originOf("not a url"));
  }

  @Test
  void aPluginThatDeclaresNothingIsNotRefused() {
    assertTrue(ApiOrigins.undeclared().allows("https://anything.example/"));
  }
}
