package io.gitcollector.core.spi.coordination;

import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.StateStore;
import java.time.Duration;
import java.util.Optional;

/**
 * How several collector instances share work: one job queue, from which each job is taken by one instance (and
 * taken again by another if that instance dies before acknowledging it), and leases so that a repository is
 * collected by one instance at a time.
 */
public interface Coordinator extends AutoCloseable {

  /** This instance's name in the group. */
  String instanceId();

  void enqueue(CollectionJob job);

  /**
   * Records {@code key} (a webhook delivery id) in {@code seen} unless it is there already and, if it was not, queues
   * {@code job}: false for a key seen before. The default does the two one after the other (removing the key if the
   * job cannot be queued), so a crash between them leaves the key recorded and the job lost; a coordinator that
   * keeps both in one store does them in one atomic step.
   */
  default boolean enqueueOnce(StateStore seen, String key, String value, java.time.Duration expiry,
      CollectionJob job) {
    if (!seen.putIfAbsent(key, value, expiry)) {
      return false;
    }
    try {
      enqueue(job);
      return true;
    } catch (RuntimeException e) {
      seen.remove(key);
      throw e;
    }
  }

  /**
   * Waits up to {@code wait} for a job: a new one, or one a dead instance took and never acknowledged for longer than
   * the lease time.
   */
  Optional<ClaimedJob> take(Duration wait);

  /** The job is done (or failed for good): nobody takes it again. */
  void acknowledge(ClaimedJob job);

  /** The lease of a repository, if no other instance holds it. */
  Optional<Lease> tryLease(String repositoryId, Duration ttl);

  /** Whether this instance runs the scheduler pass starting now (exactly one instance does per period). */
  boolean tryLeadSchedule(Duration period);

  /** Writes {@code value} only if {@code lease} is still the newest lease of its repository. */
  boolean putFenced(String key, String value, Lease lease);

  /** Whether the job queue and leases work now (the queue exists, the store answers); bounded in time. */
  default Health health() {
    return Health.unknown();
  }

  @Override
  default void close() {}

  /** A job taken from the queue, with what the queue needs to acknowledge it. */
  record ClaimedJob(CollectionJob job, String receipt) {}
}
