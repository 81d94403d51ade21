package io.gitcollector.core.engine.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters, named so that Prometheus shows {@code git_collector_requests_total},
 * {@code git_collector_requests_failed_total}, {@code git_collector_collections_total},
 * {@code git_collector_processing_duration_seconds}, {@code git_collector_envelopes_total},
 * {@code git_collector_rate_limit_remaining} and {@code git_collector_rate_limit_wait_seconds}.
 */
public final class CollectorMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, AtomicLong> remainingGauges = new ConcurrentHashMap<>();

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void request(String platform, String operation, String outcome, Duration duration) {
    Counter.builder("git_collector_requests")
        .description("HTTP requests made to platforms")
        .tags("platform", platform, "operation", operation, "outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("git_collector_request_duration")
        .tags("platform", platform, "operation", operation)
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

  /** A budget's remaining points, per token of the pool ({@code token}: its fingerprint, or {@code anonymous}). */
  public void rateLimitRemaining(String platform, String token, String resource, long remaining) {
    remainingGauges.computeIfAbsent(platform + "|" + token + "|" + resource, k -> {
      AtomicLong value = new AtomicLong(remaining);
      registry.gauge("git_collector_rate_limit_remaining",
          io.micrometer.core.instrument.Tags.of("platform", platform, "token", token, "resource", resource), value);
      return value;
    }).set(remaining);
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
    Timer.builder("git_collector_rate_limit_wait").tags("platform", platform).register(registry).record(wait);
  }

  public void collection(String platform, String mode, String outcome, Duration duration) {
    Counter.builder("git_collector_collections")
        .description("repository syncs, by outcome")
        .tags("platform", platform, "mode", mode, "outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("git_collector_processing_duration")
        .description("wall time of repository syncs")
        .tags("platform", platform, "mode", mode)
        .register(registry)
        .record(duration);
  }

  public void envelopes(String platform, String kind, int count) {
    Counter.builder("git_collector_envelopes")
        .description("envelopes acknowledged by the sink")
        .tags("platform", platform, "kind", kind)
        .register(registry)
        .increment(count);
  }
}
