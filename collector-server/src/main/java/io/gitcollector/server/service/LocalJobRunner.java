package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.model.ErrorCode;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collections on this instance's workers: one per repository at a time, a trigger for a repository already queued
 * joins it (one that arrives while it runs gets one more run after it); failures worth retrying are retried a few
 * times with backoff. Webhook work is kept in the delivery's own record until it ran, and replayed at start.
 */
final class LocalJobRunner implements JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);
  static final int MAX_RETRIES = 3;

  private final GitCollector collector;
  private final DeliveryLog deliveries;
  private final ScheduledExecutorService scheduler;
  private final Duration shutdownGrace;
  private final ExecutorService workers;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, Integer> retries = new ConcurrentHashMap<>();
  private final Map<String, Refresh> refreshes = new ConcurrentHashMap<>();
  private volatile boolean accepting = true;

  LocalJobRunner(GitCollector collector, DeliveryLog deliveries, ScheduledExecutorService scheduler, int workerCount,
      Duration shutdownGrace) {
    this.collector = collector;
    this.deliveries = deliveries;
    this.scheduler = scheduler;
    this.shutdownGrace = shutdownGrace;
    this.workers = Executors.newFixedThreadPool(workerCount, DaemonThreads.named("collector-worker"));
  }

  @Override
  public CollectionService.Triggered sync(GitCollector.Target target, boolean full, Optional<Set<EntityKind>> kinds,
      List<String> deliveryKeys) {
    if (!accepting) {
      throw new CollectionService.ShuttingDownException();
    }
    boolean[] joined = {false};
    jobs.compute(target.repositoryId(), (id, existing) -> {
      if (existing == null) {
        Job job = new Job(target, full, kinds, deliveryKeys);
        workers.submit(() -> run(job));
        return job;
      }
      existing.requestAgain(full, kinds, deliveryKeys);
      joined[0] = true;
      return existing;
    });
    return new CollectionService.Triggered(target.repositoryId(), target.repository().webUrl(), joined[0]);
  }

  private void run(Job job) {
    String repositoryId = job.target.repositoryId();
    while (true) {
      Job.Run current = job.start();
      boolean full = current.full();
      List<String> deliveriesDone = current.deliveries();
      try {
        JobRunner.withJobId(JobRunner.newJobId(), () -> collector.sync(job.target,
            full ? SyncMode.FULL : SyncMode.INCREMENTAL, current.kinds()));
        retries.remove(repositoryId);
      } catch (CollectorException e) {
        LOG.warn("collection of {} failed: {}", repositoryId, e.getMessage());
        int attempt = JobRunner.worthRetrying(e) && accepting ? retries.merge(repositoryId, 1, Integer::sum) : 0;
        if (attempt > MAX_RETRIES) {
          retries.remove(repositoryId);
        } else if (attempt > 0) {
          Duration backoff = Duration.ofSeconds(5L << (attempt - 1));
          LOG.info("retrying {} in {}", repositoryId, backoff);
          List<String> carried = deliveriesDone;
          scheduler.schedule(() -> safely(() -> sync(job.target, full, current.kinds(), carried)), backoff.toMillis(),
              TimeUnit.MILLISECONDS);
          deliveriesDone = List.of();
        } else if (e.code().equals(ErrorCode.CANCELLED)) {
          // stopped for shutdown: the deliveries stay pending and are replayed at the next start
          deliveriesDone = List.of();
        }
      } catch (RuntimeException e) {
        LOG.error("collection of {} failed unexpectedly", repositoryId, e);
        // not known to be done: replayed at the next start (the delivery record expires after a day)
        deliveriesDone = List.of();
      }
      deliveries.markDone(deliveriesDone);
      synchronized (jobs) {
        if (!job.finishAndCheckAgain() || !accepting) {
          jobs.remove(repositoryId, job);
          return;
        }
      }
    }
  }

  @Override
  public CollectionService.DeliveryOutcome accept(String deliveryKey, Optional<Work> work) {
    if (!deliveries.recordOnce(deliveryKey, work.map(Work::stored))) {
      return CollectionService.DeliveryOutcome.DUPLICATE;
    }
    if (work.isEmpty()) {
      return CollectionService.DeliveryOutcome.IGNORED;
    }
    try {
      dispatch(work.get(), deliveryKey);
    } catch (RuntimeException e) {
      // not taken: forget the delivery id, so that the platform's redelivery is taken
      safely(() -> deliveries.forget(deliveryKey));
      throw e;
    }
    return CollectionService.DeliveryOutcome.ACCEPTED;
  }

  /** Acts on a delivery's work: now, or joined to work already queued. */
  private void dispatch(Work work, String deliveryKey) {
    AcceptedDelivery.Work stored = work.stored();
    switch (stored.action()) {
      case SYNC_REPOSITORY -> sync(work.target(), false, Optional.empty(), List.of(deliveryKey));
      case REFRESH_PULL_REQUEST, REFRESH_ENTITY -> refresh(work.target(), stored.entity().orElseThrow(), deliveryKey);
      default -> deliveries.markDone(List.of(deliveryKey));
    }
  }

  /** Deliveries accepted before the last stop whose work was never marked done are acted on now. */
  void replayPending() {
    try {
      int replayed = 0;
      for (Map.Entry<String, AcceptedDelivery.Work> pending : deliveries.pending().entrySet()) {
        String deliveryKey = pending.getKey();
        try {
          GitCollector.Target target = collector.target(DeliveryLog.platformOf(deliveryKey),
              RepositoryRef.parse(pending.getValue().url()));
          dispatch(new Work(target, pending.getValue()), deliveryKey);
          replayed++;
        } catch (CollectorException e) {
          LOG.warn("cannot replay webhook delivery {}: {}", deliveryKey, e.getMessage());
          deliveries.markDone(List.of(deliveryKey));
        }
      }
      if (replayed > 0) {
        LOG.info("replaying {} webhook deliveries accepted before the last stop", replayed);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read the webhook deliveries accepted before the last stop: {}", e.getMessage());
    }
  }

  /**
   * Where an entity's refresh stands: waiting for a worker, being fetched, or fetched and wanted again; with the
   * deliveries the next fetch acts on.
   */
  private record Refresh(Phase phase, List<String> deliveries) {
    enum Phase {
      QUEUED,
      RUNNING,
      AGAIN
    }

    Refresh with(Phase next, String delivery) {
      List<String> all = new ArrayList<>(deliveries);
      all.add(delivery);
      return new Refresh(next, List.copyOf(all));
    }
  }

  /**
   * Deliveries about one entity share refreshes, as a busy pull request or issue sends many (review, comment, push,
   * label) within seconds, each of which would otherwise cost an API request: one that arrives while a refresh waits
   * for a worker joins it (the fetch is still to come); one that arrives while the fetch runs gets one more refresh
   * after it (the fetch may predate what the delivery announces), however many arrive meanwhile. A delivery is marked
   * done after the first fetch that started after it.
   */
  private void refresh(GitCollector.Target target, EntityRef entity, String deliveryKey) {
    String key = target.repositoryId() + "#" + entity;
    boolean[] submit = {false};
    refreshes.compute(key, (k, current) -> {
      if (current == null) {
        submit[0] = true;
        return new Refresh(Refresh.Phase.QUEUED, List.of(deliveryKey));
      }
      return current.with(current.phase() == Refresh.Phase.RUNNING ? Refresh.Phase.AGAIN : current.phase(),
          deliveryKey);
    });
    if (!submit[0]) {
      return;
    }
    try {
      workers.submit(() -> {
        boolean again = true;
        while (again) {
          List<String> covered = new ArrayList<>();
          refreshes.computeIfPresent(key, (k, current) -> {
            covered.addAll(current.deliveries());
            return new Refresh(Refresh.Phase.RUNNING, List.of());
          });
          if (runRefresh(target, entity)) {
            deliveries.markDone(covered);
          }
          again = refreshes.compute(key, (k, current) -> current == null || current.phase() == Refresh.Phase.RUNNING
              ? null : current) != null;
        }
      });
    } catch (RejectedExecutionException stopping) {
      refreshes.remove(key);
      throw new CollectionService.ShuttingDownException();
    }
  }

  /** One refetch; false when it was stopped for shutdown or failed for a reason that passes (replayed at start). */
  private boolean runRefresh(GitCollector.Target target, EntityRef entity) {
    try {
      collector.refresh(target, entity);
      return true;
    } catch (CollectorException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
      return !JobRunner.worthRetrying(e);
    } catch (RuntimeException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
      return true;
    }
  }

  /** Refreshes of single entities queued or running. */
  int pendingRefreshes() {
    return refreshes.size();
  }

  @Override
  public Optional<String> activity(String repositoryId) {
    Job job = jobs.get(repositoryId);
    return job == null ? Optional.empty() : Optional.of(job.running() ? "running" : "queued");
  }

  @Override
  public boolean leadsSchedule(Duration tick) {
    return true;
  }

  @Override
  public Optional<CollectionService.Recovery> recovery() {
    return Optional.empty();
  }

  @Override
  public Optional<Health> queueHealth() {
    return Optional.empty();
  }

  @Override
  public void close() {
    accepting = false;
    CollectionService.stop(workers, shutdownGrace);
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
    }
  }

  /** A queued or running collection, joined by triggers that arrive meanwhile. */
  private static final class Job {
    final GitCollector.Target target;
    private boolean full;
    private Optional<Set<EntityKind>> kinds;
    private boolean running;
    private boolean again;
    private boolean againFull;
    private Optional<Set<EntityKind>> againKinds = Optional.of(Set.of());
    private List<String> deliveries = new ArrayList<>();
    private List<String> againDeliveries = new ArrayList<>();

    /** What one run does: full or not, its kinds, and the webhook deliveries it acts on. */
    record Run(boolean full, Optional<Set<EntityKind>> kinds, List<String> deliveries) {}

    Job(GitCollector.Target target, boolean full, Optional<Set<EntityKind>> kinds, List<String> deliveries) {
      this.target = target;
      this.full = full;
      this.kinds = kinds;
      this.deliveries.addAll(deliveries);
    }

    synchronized Run start() {
      running = true;
      Run run = new Run(full, kinds, List.copyOf(deliveries));
      full = false;
      deliveries = new ArrayList<>();
      return run;
    }

    synchronized void requestAgain(boolean wantFull, Optional<Set<EntityKind>> wantKinds,
        List<String> moreDeliveries) {
      if (running) {
        again = true;
        againFull |= wantFull;
        againKinds = JobRunner.union(againKinds, wantKinds);
        againDeliveries.addAll(moreDeliveries);
      } else {
        full |= wantFull;
        kinds = JobRunner.union(kinds, wantKinds);
        deliveries.addAll(moreDeliveries);
      }
    }

    synchronized boolean finishAndCheckAgain() {
      running = false;
      if (!again) {
        return false;
      }
      again = false;
      full = againFull;
      againFull = false;
      kinds = againKinds;
      againKinds = Optional.of(Set.of());
      deliveries = againDeliveries;
      againDeliveries = new ArrayList<>();
      return true;
    }

    synchronized boolean running() {
      return running;
    }
  }
}
