package io.gitcollector.core.engine.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters, named so that Prometheus shows {@code git_collector_requests_total},
 * {@code git_collector_requests_failed_total}, {@code git_collector_collections_total},
 * {@code git_collector_processing_duration_seconds}, {@code git_collector_envelopes_total},
 * {@code git_collector_rate_limit_remaining}, {@code git_collector_rate_limit_limit},
 * {@code git_collector_rate_limit_wait_seconds}, {@code git_collector_tokens} and
 * {@code git_collector_tokens_refused}; durations are histograms with fixed buckets.
 */
public final class CollectorMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, AtomicLong> budgetGauges = new ConcurrentHashMap<>();

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Buckets of a platform request's duration: a fast API call to a slow GraphQL page. */
  static final Duration[] REQUEST_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
  /** Buckets of a repository sync's wall time: an idle incremental pass to a first pass of a large history. */
  static final Duration[] SYNC_BUCKETS = seconds(0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200);
  /** Buckets of a wait for a rate-limit budget: a secondary-limit pause to a whole primary window. */
  static final Duration[] WAIT_BUCKETS = seconds(1, 5, 15, 60, 300, 900, 1800, 3600);
  private static final List<String> MODES = List.of("full", "incremental");
  private static final List<String> OUTCOMES = List.of("success", "failure");

  /**
   * Registers a platform's meters at zero, so that they exist from start-up rather than from their first event (an
   * alert on a rate of failures needs the series before the first failure).
   */
  public void platform(String platform, java.util.Collection<String> streams) {
    for (String mode : MODES) {
      for (String outcome : OUTCOMES) {
        collections(platform, mode, outcome);
      }
      processingDuration(platform, mode);
    }
    streams.forEach(stream -> envelopeCounter(platform, stream));
    rateLimitWaitTimer(platform);
  }

  public void request(String platform, String operation, String outcome, Duration duration) {
    Counter.builder("git_collector_requests")
        .description("HTTP requests made to platforms, by operation and outcome")
        .tags("platform", platform, "operation", operation, "outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("git_collector_request_duration")
        .description("duration of HTTP requests to platforms")
        .tags("platform", platform, "operation", operation)
        .serviceLevelObjectives(REQUEST_BUCKETS)
        .register(registry)
        .record(duration);
    if (!outcome.equals("success") && !outcome.equals("not_modified")) {
      Counter.builder("git_collector_requests_failed")
          .description("platform requests that did not succeed, by reason")
          .tags("platform", platform, "reason", outcome)
          .register(registry)
          .increment();
    }
  }

  /**
   * A budget as the platform last announced it, per token of the pool ({@code token}: its fingerprint, or
   * {@code anonymous}): what is left, and the window's limit (an alert divides one by the other).
   */
  public void rateLimit(String platform, String token, String resource, long remaining, long limit) {
    budgetGauge("git_collector_rate_limit_remaining", "the rate-limit budget left, as the platform last announced it",
        platform, token, resource).set(remaining);
    budgetGauge("git_collector_rate_limit_limit", "the rate-limit budget of a window, as the platform announced it",
        platform, token, resource).set(limit);
  }

  private AtomicLong budgetGauge(String name, String description, String platform, String token, String resource) {
    return budgetGauges.computeIfAbsent(name + "|" + platform + "|" + token + "|" + resource, k -> {
      AtomicLong value = new AtomicLong();
      io.micrometer.core.instrument.Gauge.builder(name, value, AtomicLong::get).description(description)
          .tags("platform", platform, "token", token, "resource", resource).register(registry);
      return value;
    });
  }

  /** The platform's tokens: how many the pool has, and how many the platform refused (taken out of it). */
  public void tokenPool(String platform, java.util.function.IntSupplier size, java.util.function.IntSupplier refused) {
    io.micrometer.core.instrument.Gauge.builder("git_collector_tokens", size::getAsInt)
        .description("access tokens configured for the platform").tags("platform", platform).register(registry);
    io.micrometer.core.instrument.Gauge.builder("git_collector_tokens_refused", refused::getAsInt)
        .description("tokens the platform refused (401), taken out of the pool").tags("platform", platform)
        .register(registry);
  }

  public void rateLimitWait(String platform, Duration wait) {
    rateLimitWaitTimer(platform).record(wait);
  }

  private Timer rateLimitWaitTimer(String platform) {
    return Timer.builder("git_collector_rate_limit_wait")
        .description("waits for a spent or paused rate-limit budget")
        .tags("platform", platform)
        .serviceLevelObjectives(WAIT_BUCKETS)
        .register(registry);
  }

  public void collection(String platform, String mode, String outcome, Duration duration) {
    collections(platform, mode, outcome).increment();
    processingDuration(platform, mode).record(duration);
  }

  private Counter collections(String platform, String mode, String outcome) {
    return Counter.builder("git_collector_collections")
        .description("repository syncs, by mode and outcome")
        .tags("platform", platform, "mode", mode, "outcome", outcome)
        .register(registry);
  }

  private Timer processingDuration(String platform, String mode) {
    return Timer.builder("git_collector_processing_duration")
        .description("wall time of repository syncs")
        .tags("platform", platform, "mode", mode)
        .serviceLevelObjectives(SYNC_BUCKETS)
        .register(registry);
  }

  public void envelopes(String platform, String kind, int count) {
    envelopeCounter(platform, kind).increment(count);
  }

  private Counter envelopeCounter(String platform, String kind) {
    return Counter.builder("git_collector_envelopes")
        .description("envelopes acknowledged by the sink, by stream")
        .tags("platform", platform, "kind", kind)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    return java.util.Arrays.stream(values).mapToObj(v -> Duration.ofNanos((long) (v * 1e9))).toArray(Duration[]::new);
  }
}
