package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.Health;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the server's collections: on this instance's workers ({@link LocalJobRunner}), or through a queue shared by
 * several instances ({@link SharedJobRunner}). One repository at a time either way.
 */
interface JobRunner extends AutoCloseable {

  /**
   * Queues a sync of some kinds (empty: every kind the platform serves); the webhook deliveries it acts on are marked
   * done after a run that began after them.
   */
  CollectionService.Triggered sync(GitCollector.Target target, boolean full, Optional<Set<EntityKind>> kinds,
      List<String> deliveries);

  /**
   * Takes a verified webhook delivery's work: records its id (once: a redelivery is a duplicate) and makes the work
   * durable before returning, so that the {@code 202} the caller answers is never a promise a crash breaks.
   */
  CollectionService.DeliveryOutcome accept(String deliveryKey, Optional<Work> work);

  /** What a delivery asks for, resolved to its platform. */
  record Work(GitCollector.Target target, AcceptedDelivery.Work stored) {}

  /** {@code queued} or {@code running} when this runner knows the repository's collection is. */
  Optional<String> activity(String repositoryId);

  /** Whether this instance runs this scheduler pass (with a shared queue, one instance a pass does). */
  boolean leadsSchedule(Duration tick);

  /** What this instance could restore if the shared store lost its data; empty without one. */
  Optional<CollectionService.Recovery> recovery();

  /** The shared job queue's health; empty without one. */
  Optional<Health> queueHealth();

  /** Stops taking work, lets running collections finish within the grace period, then interrupts them. */
  @Override
  void close();

  /** Codes of failures that pass by themselves. */
  java.util.Set<io.gitcollector.core.model.ErrorCode> RETRYABLE = java.util.Set.of(
      io.gitcollector.core.model.ErrorCode.PLATFORM_UNAVAILABLE, io.gitcollector.core.model.ErrorCode.SINK_FAILED,
      io.gitcollector.core.model.ErrorCode.STATE_STORE_FAILED, io.gitcollector.core.model.ErrorCode.RATE_LIMITED,
      io.gitcollector.core.model.ErrorCode.CANCELLED, io.gitcollector.core.model.ErrorCode.SYNC_IN_PROGRESS);

  /** Kinds two requests for one repository collect together: every kind if either wants every kind. */
  static Optional<Set<EntityKind>> union(Optional<Set<EntityKind>> one, Optional<Set<EntityKind>> other) {
    if (one.isEmpty() || other.isEmpty()) {
      return Optional.empty();
    }
    Set<EntityKind> both = new java.util.HashSet<>(one.get());
    both.addAll(other.get());
    return Optional.of(Set.copyOf(both));
  }

  /** Kinds by stream name, as a shared job carries them (empty: every kind). */
  static Set<String> streams(Optional<Set<EntityKind>> kinds) {
    return kinds.map(set -> set.stream().map(EntityKind::stream).collect(java.util.stream.Collectors.toSet()))
        .orElse(Set.of());
  }

  /** The kinds a shared job names; a name no longer declared is refused, naming it. */
  static Optional<Set<EntityKind>> kinds(Set<String> streams) {
    return streams.isEmpty() ? Optional.empty()
        : Optional.of(EntityKind.parse(String.join(",", streams), "the job's kinds"));
  }

  /** Failures of the infrastructure or of time (platform down, sink or state store lost, rate limit, shutdown). */
  static boolean worthRetrying(CollectorException error) {
    return RETRYABLE.contains(error.code());
  }

  /** The MDC field naming the job a log line belongs to, on every line of a collection the job runs. */
  String JOB_MDC = "job_id";

  /** A new job id: twelve hex digits, unique enough to find one job's lines among a day's. */
  static String newJobId() {
    return String.format(java.util.Locale.ROOT, "%012x", java.util.concurrent.ThreadLocalRandom.current()
        .nextLong() & 0xffff_ffff_ffffL);
  }

  /** Runs {@code work} with {@code jobId} in the MDC (restoring what was there). */
  static <T> T withJobId(String jobId, java.util.function.Supplier<T> work) {
    String previous = org.slf4j.MDC.get(JOB_MDC);
    org.slf4j.MDC.put(JOB_MDC, jobId);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        org.slf4j.MDC.remove(JOB_MDC);
      } else {
        org.slf4j.MDC.put(JOB_MDC, previous);
      }
    }
  }
}
