package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.coordination.CollectionJob;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.coordination.Lease;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collections shared by several instances: jobs go to the coordinator's queue (Redis), any instance's workers take
 * them, each repository under a lease renewed while it runs, its cursor writes fenced by the lease; one instance per
 * pass runs the scheduler. Webhook work is the queued job itself, recorded with the delivery id in one step.
 */
final class SharedJobRunner implements JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SharedJobRunner.class);
  /** Changes whenever the shared store lost its data (a Redis restarted without persistence). */
  static final String EPOCH = "epoch";
  /** How long jobs this instance queued are remembered, to queue them again if the shared store loses them. */
  static final Duration RECENT_JOBS = Duration.ofMinutes(15);

  private final GitCollector collector;
  private final Distribution shared;
  private final StateStore state;
  private final DeliveryLog deliveries;
  private final SubscriptionStore subscriptions;
  private final ScheduledExecutorService scheduler;
  private final Duration shutdownGrace;
  private final Clock clock;
  private final ExecutorService workers;
  private final Deque<QueuedJob> recentJobs = new ConcurrentLinkedDeque<>();
  private volatile String knownEpoch;
  private volatile boolean accepting = true;

  SharedJobRunner(GitCollector collector, Distribution shared, DeliveryLog deliveries,
      SubscriptionStore subscriptions, ScheduledExecutorService scheduler, int workerCount, Duration shutdownGrace,
      Clock clock) {
    this.collector = collector;
    this.shared = shared;
    this.state = collector.stateStore();
    this.deliveries = deliveries;
    this.subscriptions = subscriptions;
    this.scheduler = scheduler;
    this.shutdownGrace = shutdownGrace;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(workerCount, DaemonThreads.named("collector-worker"));
    for (int i = 0; i < workerCount; i++) {
      workers.submit(this::takeJobs);
    }
  }

  @Override
  public CollectionService.Triggered sync(GitCollector.Target target, boolean full, Optional<Set<EntityKind>> kinds,
      List<String> deliveryKeys) {
    if (!accepting) {
      throw new CollectionService.ShuttingDownException();
    }
    enqueue(new CollectionJob(target.repository().webUrl(), target.repositoryId(), full, "trigger")
        .withKinds(JobRunner.streams(kinds)));
    return new CollectionService.Triggered(target.repositoryId(), target.repository().webUrl(), false);
  }

  /**
   * The delivery id and its job are recorded together, in one step where the coordinator can (Redis), so neither
   * exists without the other; a delivery without work only has its id recorded.
   */
  @Override
  public CollectionService.DeliveryOutcome accept(String deliveryKey, Optional<Work> work) {
    if (work.isEmpty()) {
      return deliveries.recordOnce(deliveryKey, Optional.empty()) ? CollectionService.DeliveryOutcome.IGNORED
          : CollectionService.DeliveryOutcome.DUPLICATE;
    }
    CollectionJob job = job(work.get(), deliveryKey);
    boolean queued = shared.coordinator.enqueueOnce(state, DeliveryLog.DELIVERIES + deliveryKey,
        deliveries.record(Optional.empty()), DeliveryLog.MEMORY, job);
    if (queued) {
      remember(job);
    }
    return queued ? CollectionService.DeliveryOutcome.ACCEPTED : CollectionService.DeliveryOutcome.DUPLICATE;
  }

  private static CollectionJob job(Work work, String deliveryKey) {
    String url = work.target().repository().webUrl();
    return work.stored().entity().isPresent()
        ? CollectionJob.refetch(url, work.target().repositoryId(), work.stored().entity().get(), deliveryKey)
        : CollectionJob.webhookSync(url, work.target().repositoryId(), deliveryKey);
  }

  /** Queues a job on the shared queue, remembering it for a while in case the shared store loses it. */
  private void enqueue(CollectionJob job) {
    shared.coordinator.enqueue(job);
    remember(job);
  }

  private void remember(CollectionJob job) {
    Instant now = clock.instant();
    recentJobs.addLast(new QueuedJob(job, now));
    while (!recentJobs.isEmpty() && (recentJobs.size() > 10_000
        || recentJobs.peekFirst().queuedAt().isBefore(now.minus(RECENT_JOBS)))) {
      recentJobs.pollFirst();
    }
  }

  private record QueuedJob(CollectionJob job, Instant queuedAt) {}

  /**
   * A worker: takes jobs from the shared queue (or ones a dead instance left unacknowledged) and runs each under the
   * repository's lease; a repository leased elsewhere is put back in the queue for later.
   */
  private void takeJobs() {
    while (accepting) {
      Optional<Coordinator.ClaimedJob> claimed;
      try {
        claimed = shared.coordinator.take(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        LOG.warn("cannot take jobs from the shared queue: {}", e.getMessage());
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        continue;
      }
      if (claimed.isEmpty() || !accepting) {
        continue;
      }
      CollectionJob job = claimed.get().job();
      try {
        if (job.refetch().isPresent()) {
          // a refetch writes no cursor: it needs no lease, so it never waits behind a long collection
          if (refresh(job)) {
            shared.coordinator.acknowledge(claimed.get());
          }
          continue;
        }
        Optional<Lease> lease = shared.coordinator.tryLease(job.repositoryId(), shared.leaseTtl);
        if (lease.isEmpty()) {
          // another instance is collecting it right now: run this job after that one
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
          shared.coordinator.enqueue(job);
          shared.coordinator.acknowledge(claimed.get());
          continue;
        }
        LOG.info("lease of {} taken (fencing token {}) for job {} ({})", job.repositoryId(),
            lease.get().fencingToken(), claimed.get().receipt(), job.reason());
        if (JobRunner.withJobId(claimed.get().receipt(), () -> runLeased(job, lease.get()))) {
          shared.coordinator.acknowledge(claimed.get());
        }
      } catch (RuntimeException e) {
        // not acknowledged: the job is taken again once its lease time has passed
        LOG.warn("job for {} failed before it was acknowledged: {}", job.repositoryId(), e.getMessage());
      }
    }
  }

  /** Refetches one entity; false if it failed for a reason that may pass (it is then taken again later). */
  private boolean refresh(CollectionJob job) {
    try {
      collector.refresh(collector.target(job.url()), job.refetch().orElseThrow());
      return true;
    } catch (CollectorException e) {
      boolean retry = JobRunner.worthRetrying(e);
      LOG.warn("refetch of {} of {} failed{}: {}", job.refetch().orElseThrow(), job.repositoryId(),
          retry ? "; it will be taken again after the lease time" : "", e.getMessage());
      return !retry;
    }
  }

  /** Runs a job under its lease; false if it failed for a reason that may pass (it is then taken again later). */
  private boolean runLeased(CollectionJob job, Lease lease) {
    shared.stateStore.hold(lease);
    long renewEvery = Math.max(100, shared.leaseTtl.toMillis() / 3);
    ScheduledFuture<?> renewal = scheduler.scheduleAtFixedRate(() -> {
      try {
        if (!lease.renew()) {
          LOG.warn("lost the lease of {}; its writes are now fenced off", job.repositoryId());
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot renew the lease of {}: {}", job.repositoryId(), e.getMessage());
      }
    }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    try {
      collector.sync(collector.target(job.url()), job.full() ? SyncMode.FULL : SyncMode.INCREMENTAL,
          JobRunner.kinds(job.kinds()));
      return true;
    } catch (CollectorException e) {
      boolean retry = JobRunner.worthRetrying(e);
      LOG.warn("collection of {} failed{}: {}", job.repositoryId(),
          retry ? "; it will be taken again after the lease time" : "", e.getMessage());
      return !retry;
    } finally {
      renewal.cancel(false);
      shared.stateStore.release(lease);
      try {
        lease.close();
      } catch (RuntimeException e) {
        LOG.warn("cannot release the lease of {}; it expires by itself: {}", job.repositoryId(), e.getMessage());
      }
    }
  }

  @Override
  public Optional<String> activity(String repositoryId) {
    return Optional.empty();
  }

  @Override
  public boolean leadsSchedule(Duration tick) {
    recoverLostSharedState();
    return shared.coordinator.tryLeadSchedule(tick);
  }

  /**
   * A Redis restarted without persistence comes back empty: no job queue, no subscriptions, no cursors. Every
   * instance notices it by the epoch key it saw before being gone or changed. The instance that writes the new epoch
   * restores the subscriptions it knew and queues a collection of each (their cursors are gone, so it collects them
   * again: duplicates, never losses); every instance queues again the jobs it queued within {@link #RECENT_JOBS}.
   */
  private void recoverLostSharedState() {
    Optional<String> epoch = state.get(EPOCH);
    String known = knownEpoch;
    if (epoch.isPresent() && epoch.get().equals(known)) {
      subscriptions.refreshSeen();
      return;
    }
    boolean wrote = state.putIfAbsent(EPOCH, UUID.randomUUID().toString());
    knownEpoch = state.get(EPOCH).orElse(null);
    if (known == null) {
      subscriptions.refreshSeen();
      return;
    }
    List<QueuedJob> again = new ArrayList<>(recentJobs);
    List<Subscription> seen = subscriptions.seen();
    LOG.warn("the shared state at {} lost its data (epoch {} is gone); {}queuing again {} job(s) this instance"
        + " queued in the last {}", state.describe(), known,
        wrote ? "restoring " + seen.size() + " subscription(s) and " : "", again.size(), RECENT_JOBS);
    if (wrote) {
      Instant now = clock.instant();
      for (Subscription subscription : seen) {
        if (subscriptions.get(subscription.repositoryId()).isEmpty()) {
          subscriptions.save(subscription.rescheduled(now.plus(SubscriptionScheduler.jittered(
              subscription.interval())), subscription.nextFullSync()));
        }
        enqueue(new CollectionJob(subscription.url(), subscription.repositoryId(), false, "recovery")
            .withKinds(JobRunner.streams(subscription.kinds())));
      }
    }
    for (QueuedJob job : again) {
      shared.coordinator.enqueue(job.job());
    }
  }

  @Override
  public Optional<CollectionService.Recovery> recovery() {
    return Optional.of(new CollectionService.Recovery(knownEpoch != null, subscriptions.seen().size()));
  }

  @Override
  public Optional<Health> queueHealth() {
    return Optional.of(shared.coordinator.health());
  }

  @Override
  public void close() {
    accepting = false;
    CollectionService.stop(workers, shutdownGrace);
    shared.coordinator.close();
  }
}
