package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.CallResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformResponsesTest {
  private static final RepositoryRef REPO = RepositoryRef.parse("https://example.com/o/r");
  private final PlatformResponses withToken = new PlatformResponses("Forge", "repository", "FORGE_TOKEN", true);
  private final PlatformResponses anonymous = new PlatformResponses("Forge", "project", "FORGE_TOKEN", false);

  private CollectorExceptionAssert permanent(PlatformResponses responses, int status) {
    CallResult<Object> result = responses.failure(status, "why", "commits", REPO, Optional.empty(),
        Optional.empty());
    return new CollectorExceptionAssert(((CallResult.PermanentFailure<Object>) result).error());
  }

  private record CollectorExceptionAssert(Exception error) {}

  @Test
  void eachStatusMeansWhatUsersCanActOn() {
    assertInstanceOf(InvalidCredentialsException.class, permanent(withToken, 401).error());
    assertTrue(permanent(withToken, 401).error().getMessage().contains("check FORGE_TOKEN"));
    assertInstanceOf(PermissionDeniedException.class, permanent(withToken, 403).error());
    assertInstanceOf(RepositoryNotFoundException.class, permanent(withToken, 404).error());
    assertInstanceOf(MissingCredentialsException.class, permanent(anonymous, 404).error());
    assertTrue(permanent(anonymous, 404).error().getMessage().startsWith("Forge project o/r was not found"));
    assertInstanceOf(ProtocolException.class, permanent(withToken, 422).error());
    assertInstanceOf(CallResult.TransientFailure.class, withToken.failure(503, "down", "commits", REPO,
        Optional.empty(), Optional.empty()));
    CallResult<Object> limited = withToken.failure(429, "slow down", "commits", REPO, Optional.empty(),
        Optional.of(Duration.ofSeconds(7)));
    assertEquals(Optional.of(Duration.ofSeconds(7)), ((CallResult.RateLimited<Object>) limited).retryAfter());
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    assertEquals(Optional.of(Duration.ofSeconds(30)), PlatformResponses.retryAfter(" 30 ", clock));
    assertEquals(Optional.of(Duration.ofSeconds(90)),
        PlatformResponses.retryAfter("Sat, 01 Mar 2025 10:01:30 GMT", clock));
    assertEquals(Optional.of(Duration.ZERO), PlatformResponses.retryAfter("Sat, 01 Mar 2025 09:00:00 GMT", clock));
    assertEquals(Optional.of(Duration.ZERO), PlatformResponses.retryAfter("-5", clock));
    assertEquals(Optional.empty(), PlatformResponses.retryAfter("soon", clock));
    assertEquals(Optional.empty(), PlatformResponses.retryAfter(null, clock));
  }

  @Test
  void headersAllPlatformsShare() {
    assertEquals(Optional.of("https://api.example.com/x?page=2"), PlatformResponses.nextLink(
        "<https://api.example.com/x?page=2>; rel=\"next\", <https://api.example.com/x?page=9>; rel=\"last\""));
    assertEquals(Optional.empty(), PlatformResponses.nextLink("<https://api.example.com/x?page=1>; rel=\"prev\""));
    var limit = PlatformResponses.rateLimit("core", "5000", "4999", "1700000000").orElseThrow();
    assertEquals(4999, limit.remaining());
    assertEquals(Instant.ofEpochSecond(1_700_000_000), limit.reset());
    assertEquals(-1, PlatformResponses.rateLimit("core", null, "1", "2").orElseThrow().limit());
    assertEquals(Optional.empty(), PlatformResponses.rateLimit("core", "1", "x", "2"));
    assertEquals("Bad credentials", PlatformResponses.errorMessage("{\"message\":\"Bad credentials\"}", "-",
        "message"));
    assertEquals("nope", PlatformResponses.errorMessage("{\"error\":{\"message\":\"nope\"}}", "-", "error",
        "message"));
    assertEquals("<html>", PlatformResponses.errorMessage("<html>", "-", "message"));
    assertEquals("Forbidden", PlatformResponses.errorMessage("", "Forbidden", "message"));
  }

  @Test
  void aNextLinkToAnotherOriginIsRefused() {
    ApiOrigins origins = ApiOrigins.of("https://api.example.com");
    assertEquals(Optional.empty(), withToken.refuseForeign(origins,
        Optional.of("https://api.example.com/next"), "commits"));
    assertEquals(Optional.empty(), withToken.refuseForeign(origins, Optional.empty(), "commits"));
    CallResult<Object> refused = withToken.<Object>refuseForeign(origins, Optional.of("https://evil.example/x"),
        "commits").orElseThrow();
    assertTrue(((CallResult.PermanentFailure<Object>) refused).error().getMessage().contains("evil.example"));
  }
}
