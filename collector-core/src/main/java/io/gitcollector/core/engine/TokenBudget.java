package io.gitcollector.core.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * A rate-limit budget as a platform last announced it: whose (platform, API, token fingerprint, never the token),
 * which resource ({@code core}, {@code graphql}, …), its size, what is left and when it refills.
 */
public record TokenBudget(String platformId, String api, String token, String resource, long limit, long remaining,
    Instant reset) {
  public TokenBudget {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reset, "reset");
  }
}
