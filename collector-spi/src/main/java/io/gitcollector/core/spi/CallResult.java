package io.gitcollector.core.spi;

import io.gitcollector.core.model.CollectorException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one HTTP exchange with a platform ended, as the adapter classifies it. The engine decides what happens next:
 * returns the value, waits out a rate limit, retries a transient failure with backoff, or raises a permanent one.
 */
public sealed interface CallResult<T> {

  /** The rate-limit headers of the response, when it had them. */
  Optional<RateLimitStatus> rateLimit();

  static <T> CallResult<T> success(T value, Optional<RateLimitStatus> rateLimit) {
    return new Success<>(value, rateLimit);
  }

  static <T> CallResult<T> transientFailure(String reason, Optional<RateLimitStatus> rateLimit) {
    return new TransientFailure<>(reason, rateLimit);
  }

  static <T> CallResult<T> permanentFailure(CollectorException error) {
    return new PermanentFailure<>(error);
  }

  /** The answer is usable; {@code value} may be a "not modified" marker the adapter understands. */
  record Success<T>(T value, Optional<RateLimitStatus> rateLimit) implements CallResult<T> {
    public Success {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(rateLimit, "rateLimit");
    }
  }

  /**
   * The platform asked us to slow down. {@code retryAfter} is what the platform said ({@code Retry-After}), if it said
   * anything; {@code secondary} marks abuse-detection limits, which are never retried before the wait is over.
   */
  record RateLimited<T>(
      Optional<Duration> retryAfter, Optional<RateLimitStatus> rateLimit, boolean secondary, String reason)
      implements CallResult<T> {
    public RateLimited {
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(rateLimit, "rateLimit");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Worth retrying: a 5xx, a timeout, a reset connection, a truncated body. */
  record TransientFailure<T>(String reason, Optional<RateLimitStatus> rateLimit) implements CallResult<T> {
    public TransientFailure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(rateLimit, "rateLimit");
    }
  }

  /** Not worth retrying: not found, permission denied, bad credentials. */
  record PermanentFailure<T>(CollectorException error) implements CallResult<T> {
    public PermanentFailure {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public Optional<RateLimitStatus> rateLimit() {
      return Optional.empty();
    }
  }
}
