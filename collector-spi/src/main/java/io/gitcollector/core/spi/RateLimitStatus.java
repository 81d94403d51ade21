package io.gitcollector.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A platform's rate-limit headers as read from one response: which budget ({@code core}, {@code graphql}, …), how
 * large it is, what is left and when it refills.
 */
public record RateLimitStatus(String resource, long limit, long remaining, Instant reset) {
  public RateLimitStatus {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reset, "reset");
  }
}
