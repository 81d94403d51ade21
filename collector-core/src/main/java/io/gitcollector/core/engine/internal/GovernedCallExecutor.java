package io.gitcollector.core.engine.internal;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.RemoteCall;
import io.gitcollector.core.spi.RemoteCallExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Wraps each adapter request, in this order: rate-limit governor (wait for budget), retry with exponential backoff and
 * jitter (transient failures only), circuit breaker of the platform host, the attempt itself, metrics. A rate-limited
 * answer is not a failure: the budget is paused for as long as the platform asked and the request goes out again,
 * without spending a retry.
 */
public final class GovernedCallExecutor implements RemoteCallExecutor {

  /** GitHub's guidance for a secondary limit without {@code Retry-After}: wait at least a minute, then longer. */
  static final Duration SECONDARY_LIMIT_FIRST_WAIT = Duration.ofSeconds(60);

  private final String platformId;
  private final String budgetPrefix;
  /** The fingerprint of the executor's token (or {@code anonymous}), for metrics. */
  private final String token;
  private final RateLimitGovernor governor;
  private final Retry retry;
  private final CircuitBreaker circuitBreaker;
  private final CollectorMetrics metrics;
  private final BiConsumer<String, RateLimitStatus> onRateLimit;
  private final ApiOrigins origins;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong secondaryStrikes = new AtomicLong();
  /** One token's requests in flight, narrowed after secondary limits (the executor is per token). */
  private final ConcurrencyGate gate = new ConcurrencyGate();

  public GovernedCallExecutor(
      String platformId,
      String budgetPrefix,
      String token,
      RateLimitGovernor governor,
      Retry retry,
      CircuitBreaker circuitBreaker,
      CollectorMetrics metrics,
      BiConsumer<String, RateLimitStatus> onRateLimit,
      ApiOrigins origins) {
    this.platformId = platformId;
    this.budgetPrefix = budgetPrefix;
    this.token = token;
    this.governor = governor;
    this.retry = retry;
    this.circuitBreaker = circuitBreaker;
    this.metrics = metrics;
    this.onRateLimit = onRateLimit;
    this.origins = origins;
  }

  /** Requests sent so far, retries included. */
  public long requests() {
    return requests.get();
  }

  /** The one place every adapter request to a URL passes: a foreign origin is refused before anything is sent. */
  @Override
  public <T> T execute(String operation, String resource, String url, RemoteCall<T> call) {
    origins.require(url, platformId + " " + operation);
    return execute(operation, resource, call);
  }

  @Override
  public <T> T execute(String operation, String resource, RemoteCall<T> call) {
    String budgetKey = budgetPrefix + "|" + resource;
    while (true) {
      CallResult<T> result;
      try {
        result = retry.executeCheckedSupplier(
            () -> circuitBreaker.executeCheckedSupplier(() -> attemptOnce(operation, budgetKey, call)));
      } catch (TransientCallException e) {
        throw new PlatformUnavailableException(platformId + " " + operation + " failed after "
            + retry.getRetryConfig().getMaxAttempts() + " attempts: " + e.getMessage(), e);
      } catch (CallNotPermittedException e) {
        throw new PlatformUnavailableException("the circuit breaker for " + platformId + " (" + budgetPrefix
            + ") is open after repeated failures; requests resume after "
            + circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000
            + " s", e);
      } catch (CollectorException e) {
        throw e;
      } catch (Throwable e) {
        throw new PlatformUnavailableException(platformId + " " + operation + " failed: " + e, e);
      }
      if (result instanceof CallResult.Success<T> success) {
        secondaryStrikes.set(0);
        return success.value();
      }
      if (result instanceof CallResult.RateLimited<T> limited) {
        Duration wait = waitFor(limited);
        // a secondary limit covers every request of the token, a primary one only its own budget
        governor.pause(limited.secondary() ? tokenWideKey() : budgetKey, wait, platformId + " "
            + (limited.secondary() ? "secondary" : "primary") + " rate limit: " + limited.reason());
        continue;
      }
      throw new IllegalStateException("unexpected result " + result);
    }
  }

  private String tokenWideKey() {
    return budgetPrefix + "|*";
  }

  private <T> CallResult<T> attemptOnce(String operation, String budgetKey, RemoteCall<T> call) {
    governor.awaitPause(tokenWideKey());
    try {
      gate.enter();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.gitcollector.core.model.SyncCancelledException("interrupted while waiting to send " + operation);
    }
    ConcurrencyGate.Outcome outcome = ConcurrencyGate.Outcome.OTHER;
    try {
      CallResult<T> result = attemptGoverned(operation, budgetKey, call);
      if (result instanceof CallResult.Success<T>) {
        outcome = ConcurrencyGate.Outcome.SUCCESS;
      } else if (result instanceof CallResult.RateLimited<T> limited && limited.secondary()) {
        outcome = ConcurrencyGate.Outcome.SECONDARY_LIMIT;
      }
      return result;
    } finally {
      gate.leave(outcome);
    }
  }

  private <T> CallResult<T> attemptGoverned(String operation, String budgetKey, RemoteCall<T> call) {
    governor.acquire(budgetKey);
    long started = System.nanoTime();
    CallResult<T> result = null;
    try {
      requests.incrementAndGet();
      result = call.attempt();
    } catch (IOException e) {
      metrics.request(platformId, operation, "io_error", Duration.ofNanos(System.nanoTime() - started));
      throw new TransientCallException(operation + ": " + describe(e), e);
    } finally {
      if (result == null) {
        governor.release(budgetKey);
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Optional<RateLimitStatus> rateLimit = result.rateLimit();
    rateLimit.ifPresent(status -> {
      governor.observe(budgetKey, status);
      metrics.rateLimit(platformId, token, status.resource(), status.remaining(), status.limit());
      onRateLimit.accept(platformId, status);
    });
    governor.release(budgetKey);
    if (result instanceof CallResult.Success<T>) {
      metrics.request(platformId, operation, "success", took);
      return result;
    }
    if (result instanceof CallResult.RateLimited<T> limited) {
      metrics.request(platformId, operation, limited.secondary() ? "secondary_rate_limited" : "rate_limited", took);
      return result;
    }
    if (result instanceof CallResult.TransientFailure<T> failure) {
      metrics.request(platformId, operation, "transient_failure", took);
      throw new TransientCallException(operation + ": " + failure.reason(), null);
    }
    CallResult.PermanentFailure<T> permanent = (CallResult.PermanentFailure<T>) result;
    metrics.request(platformId, operation, "permanent_failure", took);
    throw permanent.error();
  }

  /** An I/O failure in words: its message, or its cause's when it has none (a refused connection has none). */
  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) {
      message = e.getCause().getMessage();
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private Duration waitFor(CallResult.RateLimited<?> limited) {
    if (limited.retryAfter().isPresent()) {
      return limited.retryAfter().get();
    }
    Optional<RateLimitStatus> status = limited.rateLimit();
    if (status.isPresent() && status.get().remaining() == 0) {
      Duration untilReset = Duration.between(java.time.Instant.now(), status.get().reset());
      return untilReset.isNegative() ? RateLimitGovernor.CLOCK_SKEW_MARGIN
          : untilReset.plus(RateLimitGovernor.CLOCK_SKEW_MARGIN);
    }
    // no hint: back off exponentially from a minute, never hammering a secondary limit
    long strikes = Math.min(secondaryStrikes.getAndIncrement(), 4);
    return SECONDARY_LIMIT_FIRST_WAIT.multipliedBy(1L << strikes);
  }

  /** A failure worth retrying; retried by resilience4j and counted by the circuit breaker. */
  public static final class TransientCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientCallException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
