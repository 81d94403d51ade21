package io.gitcollector.server.service;

import io.gitcollector.core.spi.toolkit.DaemonThreads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CollectionJob;
import io.gitcollector.core.spi.Coordinator;
import io.gitcollector.core.spi.Lease;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does besides HTTP: runs collections on worker threads (one per repository at a time; a trigger for
 * a repository already queued joins it), keeps subscriptions and syncs them on their schedule, and turns verified
 * webhook deliveries into targeted work, each delivery id processed once a day at most.
 */
public final class CollectionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SUBSCRIPTIONS = "subscription/";
  static final String DELIVERIES = "delivery/";
  /** A delivery whose work is done: written after the work, so a delivery without it is replayed at start. */
  static final String DONE = "delivery-done/";
  /** Changes whenever the shared store lost its data (a Redis restarted without persistence). */
  static final String EPOCH = "epoch";
  static final Duration DELIVERY_MEMORY = Duration.ofDays(1);
  static final int MAX_LOCAL_RETRIES = 3;
  static final int MAX_DELIVERY_ID = 128;
  /** How long jobs this instance queued are remembered, to queue them again if the shared store loses them. */
  static final Duration RECENT_JOBS = Duration.ofMinutes(15);

  private final GitCollector collector;
  private final StateStore state;
  private final Map<String, Secret> webhookSecrets;
  private final Duration defaultInterval;
  private final Duration fullSyncInterval;
  private final Duration shutdownGrace;
  private final Clock clock;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, Integer> retries = new ConcurrentHashMap<>();
  private final Map<String, Refresh> refreshes = new ConcurrentHashMap<>();
  private final Map<String, Subscription> knownSubscriptions = new ConcurrentHashMap<>();
  private final java.util.Deque<QueuedJob> recentJobs = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private volatile String knownEpoch;
  private final Optional<Distribution> distribution;
  private final Duration schedulerTick;
  private volatile boolean accepting = true;

  /** A single instance: jobs run on this instance's workers. */
  public CollectionService(GitCollector collector, Map<String, Secret> webhookSecrets, Duration defaultInterval,
      Duration fullSyncInterval, Duration schedulerTick, int workerCount, Duration shutdownGrace) {
    this(collector, webhookSecrets, defaultInterval, fullSyncInterval, schedulerTick, workerCount, shutdownGrace,
        Optional.empty());
  }

  /**
   * With a {@link Distribution}, jobs go to the shared queue and any instance's workers take them, one repository at
   * a time under a lease; one instance per pass runs the scheduler.
   */
  public CollectionService(GitCollector collector, Map<String, Secret> webhookSecrets, Duration defaultInterval,
      Duration fullSyncInterval, Duration schedulerTick, int workerCount, Duration shutdownGrace,
      Optional<Distribution> distribution) {
    this.distribution = distribution;
    this.schedulerTick = schedulerTick;
    this.collector = collector;
    this.state = collector.stateStore();
    this.webhookSecrets = Map.copyOf(webhookSecrets);
    this.defaultInterval = defaultInterval;
    this.fullSyncInterval = fullSyncInterval;
    this.shutdownGrace = shutdownGrace;
    this.clock = Clock.systemUTC();
    this.workers = Executors.newFixedThreadPool(workerCount, DaemonThreads.named("collector-worker"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("collector-scheduler"));
    scheduler.scheduleWithFixedDelay(this::tick, schedulerTick.toMillis(), schedulerTick.toMillis(),
        TimeUnit.MILLISECONDS);
    distribution.ifPresent(shared -> {
      for (int i = 0; i < workerCount; i++) {
        workers.submit(() -> takeJobs(shared));
      }
    });
    if (distribution.isEmpty()) {
      replayAcceptedDeliveries();
    }
  }

  // ------------------------------------------------------------------ triggers

  /** What a trigger did. */
  public record Triggered(String repositoryId, String url, boolean joinedExisting) {}

  /**
   * Queues a collection. The URL and platform are checked now, so a bad one is the caller's error, not a failed job.
   */
  public Triggered trigger(String url, boolean full) {
    return trigger(url, full, List.of());
  }

  /** Queues a collection on behalf of webhook deliveries, which are marked done when a run after them ends. */
  private Triggered trigger(String url, boolean full, List<String> deliveries) {
    if (!accepting) {
      throw new ShuttingDownException();
    }
    String repositoryId = collector.repositoryId(url);
    if (distribution.isPresent()) {
      enqueue(new CollectionJob(url, repositoryId, full, "trigger"));
      return new Triggered(repositoryId, url, false);
    }
    boolean[] joined = {false};
    jobs.compute(repositoryId, (id, existing) -> {
      if (existing == null) {
        Job job = new Job(url, full, deliveries);
        workers.submit(() -> run(id, job));
        return job;
      }
      existing.requestAgain(full, deliveries);
      joined[0] = true;
      return existing;
    });
    return new Triggered(repositoryId, url, joined[0]);
  }

  /** Queues a job on the shared queue, remembering it for a while in case the shared store loses it. */
  private void enqueue(CollectionJob job) {
    distribution.orElseThrow().coordinator.enqueue(job);
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

  private void run(String repositoryId, Job job) {
    while (true) {
      Job.Run current = job.start();
      boolean full = current.full();
      List<String> deliveriesDone = current.deliveries();
      try {
        collector.sync(job.url, full ? SyncMode.FULL : SyncMode.INCREMENTAL);
        retries.remove(repositoryId);
      } catch (CollectorException e) {
        LOG.warn("collection of {} failed: {}", repositoryId, e.getMessage());
        int attempt = worthRetrying(e) && accepting ? retries.merge(repositoryId, 1, Integer::sum) : 0;
        if (attempt > MAX_LOCAL_RETRIES) {
          retries.remove(repositoryId);
        } else if (attempt > 0) {
          Duration backoff = Duration.ofSeconds(5L << (attempt - 1));
          LOG.info("retrying {} in {}", repositoryId, backoff);
          List<String> carried = deliveriesDone;
          scheduler.schedule(() -> safely(() -> trigger(job.url, full, carried)), backoff.toMillis(),
              TimeUnit.MILLISECONDS);
          deliveriesDone = List.of();
        } else if (e.code() == io.gitcollector.core.model.ErrorCode.CANCELLED) {
          // stopped for shutdown: the deliveries stay pending and are replayed at the next start
          deliveriesDone = List.of();
        }
      } catch (RuntimeException e) {
        LOG.error("collection of {} failed unexpectedly", repositoryId, e);
        // not known to be done: replayed at the next start (the delivery record expires after a day)
        deliveriesDone = List.of();
      }
      markDone(deliveriesDone);
      synchronized (jobs) {
        if (!job.finishAndCheckAgain() || !accepting) {
          jobs.remove(repositoryId, job);
          return;
        }
      }
    }
  }

  /**
   * A worker of a distributed server: takes jobs from the shared queue (or ones a dead instance left unacknowledged)
   * and runs each under the repository's lease, renewed while it runs; a repository leased elsewhere is put back in
   * the queue for later.
   */
  private void takeJobs(Distribution shared) {
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
        if (job.pullRequest().isPresent()) {
          // a refetch writes no cursor: it needs no lease, so it never waits behind a long collection
          if (refreshShared(job)) {
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
        if (runLeased(shared, job, lease.get())) {
          shared.coordinator.acknowledge(claimed.get());
        }
      } catch (RuntimeException e) {
        // not acknowledged: the job is taken again once its lease time has passed
        LOG.warn("job for {} failed before it was acknowledged: {}", job.repositoryId(), e.getMessage());
      }
    }
  }

  /** Refetches a pull request; false if it failed for a reason that may pass (it is then taken again later). */
  private boolean refreshShared(CollectionJob job) {
    try {
      collector.refreshPullRequest(job.url(), job.pullRequest().getAsLong());
      return true;
    } catch (CollectorException e) {
      boolean retry = worthRetrying(e);
      LOG.warn("refetch of pull request {} of {} failed{}: {}", job.pullRequest().getAsLong(), job.repositoryId(),
          retry ? "; it will be taken again after the lease time" : "", e.getMessage());
      return !retry;
    }
  }

  /** Runs a job under its lease; false if it failed for a reason that may pass (it is then taken again later). */
  private boolean runLeased(Distribution shared, CollectionJob job, Lease lease) {
    shared.stateStore.hold(lease);
    long renewEvery = Math.max(100, shared.leaseTtl.toMillis() / 3);
    java.util.concurrent.ScheduledFuture<?> renewal = scheduler.scheduleAtFixedRate(() -> {
      try {
        if (!lease.renew()) {
          LOG.warn("lost the lease of {}; its writes are now fenced off", job.repositoryId());
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot renew the lease of {}: {}", job.repositoryId(), e.getMessage());
      }
    }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    try {
      collector.sync(job.url(), job.full() ? SyncMode.FULL : SyncMode.INCREMENTAL);
      return true;
    } catch (CollectorException e) {
      boolean retry = worthRetrying(e);
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

  /** Failures of the infrastructure or of time (platform down, sink or state store lost, rate limit, shutdown). */
  static boolean worthRetrying(CollectorException error) {
    return switch (error.code()) {
      case PLATFORM_UNAVAILABLE, SINK_FAILED, STATE_STORE_FAILED, RATE_LIMITED, CANCELLED, SYNC_IN_PROGRESS -> true;
      default -> false;
    };
  }

  /**
   * What this instance could restore if the shared store lost its data: whether it knows the store's epoch, and how
   * many subscriptions it remembers (refreshed at each scheduler pass). Empty without a shared store.
   */
  public record Recovery(boolean epochKnown, int subscriptionsRemembered) {}

  public Optional<Recovery> recovery() {
    return distribution.map(shared -> new Recovery(knownEpoch != null, knownSubscriptions.size()));
  }

  /** The shared job queue's health, when instances share work. */
  public Optional<io.gitcollector.core.spi.Health> queueHealth() {
    return distribution.map(shared -> shared.coordinator.health());
  }

  /** The status of a repository, with what the server knows beyond the engine: queued, running, next sync. */
  public record Status(SyncStatus sync, String state, Optional<Instant> nextSync) {}

  public Status status(String repositoryId) {
    SyncStatus sync = collector.status(repositoryId);
    Job job = jobs.get(repositoryId);
    String current = job == null ? sync.state().name().toLowerCase(java.util.Locale.ROOT)
        : job.running() ? "running" : "queued";
    return new Status(sync, current, subscription(repositoryId).map(Subscription::nextSync));
  }

  /** Whether the repository is known at all: synced before, queued, or subscribed. */
  public boolean knows(String repositoryId) {
    return jobs.containsKey(repositoryId) || subscription(repositoryId).isPresent()
        || collector.status(repositoryId).state() != SyncStatus.State.IDLE;
  }

  // ------------------------------------------------------------------ subscriptions

  public Subscription subscribe(String url, Optional<Duration> interval) {
    String repositoryId = collector.repositoryId(url);
    Duration every = interval.orElse(defaultInterval);
    if (every.compareTo(Duration.ofMinutes(1)) < 0 && interval.isPresent()) {
      throw new InvalidConfigurationException("interval must be at least one minute, was " + every);
    }
    Instant now = clock.instant();
    // collected right away; the schedule takes over from the next interval
    Subscription subscription = new Subscription(repositoryId, RepositoryRef.parse(url).webUrl(), every,
        now.plus(jittered(every)), now.plus(fullSyncInterval));
    save(subscription);
    trigger(url, false);
    return subscription;
  }

  public List<Subscription> subscriptions() {
    List<Subscription> all = new ArrayList<>();
    state.scan(SUBSCRIPTIONS).forEach((key, value) -> read(value).ifPresent(all::add));
    return all;
  }

  public Optional<Subscription> subscription(String repositoryId) {
    return state.get(SUBSCRIPTIONS + repositoryId).flatMap(CollectionService::read);
  }

  public boolean unsubscribe(String repositoryId) {
    if (subscription(repositoryId).isEmpty()) {
      return false;
    }
    state.remove(SUBSCRIPTIONS + repositoryId);
    knownSubscriptions.remove(repositoryId);
    return true;
  }

  /** One pass of the scheduler: due subscriptions are queued, expired delivery ids forgotten. */
  void tick() {
    try {
      if (distribution.isPresent()) {
        recoverLostSharedState();
        if (!distribution.get().coordinator.tryLeadSchedule(schedulerTick)) {
          return;
        }
      }
      Instant now = clock.instant();
      for (Subscription subscription : subscriptions()) {
        boolean full = !subscription.nextFullSync().isAfter(now);
        if (full || !subscription.nextSync().isAfter(now)) {
          trigger(subscription.url(), full);
          save(new Subscription(subscription.repositoryId(), subscription.url(), subscription.interval(),
              now.plus(jittered(subscription.interval())),
              full ? now.plus(fullSyncInterval) : subscription.nextFullSync()));
        }
      }
      for (String prefix : List.of(DELIVERIES, DONE)) {
        state.scan(prefix).forEach((key, value) -> {
          boolean expired;
          try {
            expired = AcceptedDelivery.read(value).expires().isBefore(now);
          } catch (IllegalArgumentException unreadable) {
            LOG.warn("forgetting {}: {}", key, unreadable.getMessage());
            expired = true;
          }
          if (expired) {
            state.remove(key);
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.warn("scheduler pass failed; the next one retries: {}", e.getMessage());
    }
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
      subscriptions().forEach(s -> knownSubscriptions.put(s.repositoryId(), s));
      return;
    }
    boolean wrote = state.putIfAbsent(EPOCH, java.util.UUID.randomUUID().toString());
    knownEpoch = state.get(EPOCH).orElse(null);
    if (known == null) {
      subscriptions().forEach(s -> knownSubscriptions.put(s.repositoryId(), s));
      return;
    }
    List<QueuedJob> again = new ArrayList<>(recentJobs);
    LOG.warn("the shared state at {} lost its data (epoch {} is gone); {}queuing again {} job(s) this instance"
        + " queued in the last {}", state.describe(), known,
        wrote ? "restoring " + knownSubscriptions.size() + " subscription(s) and " : "", again.size(), RECENT_JOBS);
    if (wrote) {
      Instant now = clock.instant();
      for (Subscription subscription : knownSubscriptions.values()) {
        if (subscription(subscription.repositoryId()).isEmpty()) {
          save(new Subscription(subscription.repositoryId(), subscription.url(), subscription.interval(),
              now.plus(jittered(subscription.interval())), subscription.nextFullSync()));
        }
        enqueue(new CollectionJob(subscription.url(), subscription.repositoryId(), false, "recovery"));
      }
    }
    for (QueuedJob job : again) {
      distribution.orElseThrow().coordinator.enqueue(job.job());
    }
  }

  /** Spreads syncs of many repositories with the same interval over ±10 % of it. */
  private static Duration jittered(Duration interval) {
    long millis = interval.toMillis();
    long spread = millis / 10;
    return Duration.ofMillis(millis - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
  }

  private void save(Subscription subscription) {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository_id", subscription.repositoryId());
    node.put("url", subscription.url());
    node.put("interval_seconds", subscription.interval().toSeconds());
    node.put("next_sync", subscription.nextSync().toString());
    node.put("next_full_sync", subscription.nextFullSync().toString());
    state.put(SUBSCRIPTIONS + subscription.repositoryId(), node.toString());
    knownSubscriptions.put(subscription.repositoryId(), subscription);
  }

  private static Optional<Subscription> read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return Optional.of(new Subscription(node.path("repository_id").asText(), node.path("url").asText(),
          Duration.ofSeconds(node.path("interval_seconds").asLong()), Instant.parse(node.path("next_sync").asText()),
          Instant.parse(node.path("next_full_sync").asText())));
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring an unreadable subscription: {}", e.getMessage());
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ webhooks

  /** What became of a delivery. */
  public enum DeliveryOutcome {
    ACCEPTED,
    DUPLICATE,
    IGNORED
  }

  /**
   * Verifies a delivery now (so a forgery is refused to its sender), makes its work durable, and only then returns
   * (the caller answers {@code 202}): on the shared queue with Redis; otherwise in the delivery's own record, which is
   * replayed at the next start unless the work was marked done. A crash after the answer therefore loses nothing,
   * though the delivery id, also durable, makes the platform's redelivery a duplicate.
   *
   * @throws io.gitcollector.core.model.InvalidWebhookException if verification fails
   */
  public DeliveryOutcome accept(String platformId, WebhookDelivery delivery) {
    if (!accepting) {
      throw new ShuttingDownException();
    }
    WebhookEvent event = collector.parseWebhook(platformId, delivery,
        Optional.ofNullable(webhookSecrets.get(platformId)));
    if (event.deliveryId().length() > MAX_DELIVERY_ID || event.deliveryId().isBlank()
        || event.deliveryId().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      // platforms send UUIDs or short hex ids; anything else would only be a key of unbounded length
      throw new io.gitcollector.core.model.MalformedWebhookException("the delivery id header holds "
          + event.deliveryId().length() + " characters; a delivery id is at most " + MAX_DELIVERY_ID
          + " printable ASCII characters");
    }
    String deliveryKey = platformId + "/" + event.deliveryId();
    Optional<AcceptedDelivery.Work> work = event.action() == WebhookEvent.Action.IGNORE
        || event.repository().isEmpty() || !servedBy(platformId, event) ? Optional.empty()
        : Optional.of(new AcceptedDelivery.Work(event.action(), event.repository().get().webUrl(),
            event.pullRequestNumber()));
    Instant expires = clock.instant().plus(DELIVERY_MEMORY);
    if (distribution.isPresent() && work.isPresent()) {
      // the queue holds the work: the delivery id and the job are recorded together, in one step where the
      // coordinator can (Redis), so neither exists without the other
      String json = new AcceptedDelivery(expires, Optional.empty()).json();
      boolean queued = distribution.get().coordinator.enqueueOnce(state, DELIVERIES + deliveryKey, json,
          DELIVERY_MEMORY, job(work.get(), deliveryKey));
      if (queued) {
        remember(job(work.get(), deliveryKey));
      }
      return queued ? DeliveryOutcome.ACCEPTED : DeliveryOutcome.DUPLICATE;
    }
    AcceptedDelivery record = new AcceptedDelivery(expires, work);
    if (!state.putIfAbsent(DELIVERIES + deliveryKey, record.json(), DELIVERY_MEMORY)) {
      return DeliveryOutcome.DUPLICATE;
    }
    if (work.isEmpty()) {
      return DeliveryOutcome.IGNORED;
    }
    try {
      dispatch(work.get(), deliveryKey);
    } catch (RuntimeException e) {
      // not taken: forget the delivery id, so that the platform's redelivery is taken
      safely(() -> state.remove(DELIVERIES + deliveryKey));
      throw e;
    }
    return DeliveryOutcome.ACCEPTED;
  }

  private CollectionJob job(AcceptedDelivery.Work work, String deliveryKey) {
    String repositoryId = collector.repositoryId(work.url());
    return work.pullRequest().isPresent()
        ? CollectionJob.pullRequestRefresh(work.url(), repositoryId, work.pullRequest().getAsLong(), deliveryKey)
        : CollectionJob.webhookSync(work.url(), repositoryId, deliveryKey);
  }

  /**
   * Whether the repository a delivery names is one the receiving platform's adapter serves: a delivery verified with
   * one platform's secret never makes the collector fetch from another platform (with that platform's token) or
   * from a host no adapter serves. Such a delivery is acknowledged, logged and counted, never acted on.
   */
  private boolean servedBy(String platformId, WebhookEvent event) {
    String url = event.repository().orElseThrow().webUrl();
    String reason;
    try {
      String repositoryId = collector.repositoryId(url);
      if (repositoryId.startsWith(platformId + ":")) {
        return true;
      }
      reason = "other_platform";
    } catch (CollectorException e) {
      reason = "unserved_host";
    }
    LOG.warn("ignoring {} delivery {}: it names {}, which the {} adapter does not serve", platformId,
        event.deliveryId(), url, platformId);
    collector.meterRegistry().counter("git_collector_webhooks_ignored", "platform", platformId, "reason", reason)
        .increment();
    return false;
  }

  /** Acts on a delivery's work on this instance (without a shared queue): now, or joined to work already queued. */
  private void dispatch(AcceptedDelivery.Work work, String deliveryKey) {
    switch (work.action()) {
      case SYNC_REPOSITORY -> trigger(work.url(), false, List.of(deliveryKey));
      case REFRESH_PULL_REQUEST -> refreshPullRequest(work.url(), work.pullRequest().orElseThrow(), deliveryKey);
      default -> markDone(List.of(deliveryKey));
    }
  }

  /** Deliveries accepted before the last stop whose work was never marked done are acted on now. */
  private void replayAcceptedDeliveries() {
    try {
      Instant now = clock.instant();
      java.util.Set<String> done = state.scan(DONE).keySet();
      int replayed = 0;
      for (Map.Entry<String, String> entry : state.scan(DELIVERIES).entrySet()) {
        String deliveryKey = entry.getKey().substring(DELIVERIES.length());
        AcceptedDelivery record = AcceptedDelivery.read(entry.getValue());
        if (record.work().isEmpty() || done.contains(DONE + deliveryKey) || record.expires().isBefore(now)) {
          continue;
        }
        try {
          dispatch(record.work().get(), deliveryKey);
          replayed++;
        } catch (CollectorException e) {
          LOG.warn("cannot replay webhook delivery {}: {}", deliveryKey, e.getMessage());
          markDone(List.of(deliveryKey));
        }
      }
      if (replayed > 0) {
        LOG.info("replaying {} webhook deliveries accepted before the last stop", replayed);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read the webhook deliveries accepted before the last stop: {}", e.getMessage());
    }
  }

  /** Records that these deliveries' work ran (one journaled write each, expiring with the delivery id). */
  private void markDone(List<String> deliveryKeys) {
    String expires = clock.instant().plus(DELIVERY_MEMORY).toString();
    for (String deliveryKey : deliveryKeys) {
      safely(() -> state.putIfAbsent(DONE + deliveryKey, new AcceptedDelivery(Instant.parse(expires),
          Optional.empty()).json(), DELIVERY_MEMORY));
    }
  }

  /**
   * Where a pull request's refresh stands: waiting for a worker, being fetched, or fetched and wanted again; with the
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
   * Deliveries about one pull request share refreshes, as a busy pull request sends many (review, comment, push,
   * label) within seconds, each of which would otherwise cost an API request: one that arrives while a refresh waits
   * for a worker joins it (the fetch is still to come); one that arrives while the fetch runs gets one more refresh
   * after it (the fetch may predate what the delivery announces), however many arrive meanwhile. A delivery is marked
   * done after the first fetch that started after it.
   */
  private void refreshPullRequest(String url, long number, String deliveryKey) {
    String key = url + "#" + number;
    boolean[] submit = {false};
    refreshes.compute(key, (k, current) -> {
      if (current == null) {
        submit[0] = true;
        return new Refresh(Refresh.Phase.QUEUED, List.of(deliveryKey));
      }
      return current.with(current.phase() == Refresh.Phase.RUNNING ? Refresh.Phase.AGAIN : current.phase(),
          deliveryKey);
    });
    if (submit[0]) {
      try {
        workers.submit(() -> {
          boolean again = true;
          while (again) {
            List<String> covered = new ArrayList<>();
            refreshes.computeIfPresent(key, (k, current) -> {
              covered.addAll(current.deliveries());
              return new Refresh(Refresh.Phase.RUNNING, List.of());
            });
            boolean ran = runRefresh(url, number);
            if (ran) {
              markDone(covered);
            }
            again = refreshes.compute(key, (k, current) -> current == null || current.phase() == Refresh.Phase.RUNNING
                ? null : current) != null;
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        refreshes.remove(key);
        throw new ShuttingDownException();
      }
    }
  }

  /** One refetch; false when it was stopped for shutdown or failed for a reason that passes (replayed at start). */
  private boolean runRefresh(String url, long number) {
    try {
      collector.refreshPullRequest(url, number);
      return true;
    } catch (CollectorException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
      return !worthRetrying(e);
    } catch (RuntimeException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
      return true;
    }
  }

  /** Pull-request refreshes queued or running, for tests. */
  int pendingRefreshes() {
    return refreshes.size();
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("webhook processing failed: {}", e.getMessage());
    }
  }

  // ------------------------------------------------------------------ shutdown

  /**
   * Stops intake, asks running collections to stop after the page each stream has in flight (that page is delivered
   * and its cursor saved), waits up to the grace period, then interrupts what is left; the caller closes the
   * collector, which flushes the sink.
   */
  @Override
  public void close() {
    accepting = false;
    collector.stopAfterCurrentPages();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("collections still running after {}; interrupting them", shutdownGrace);
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    scheduler.shutdownNow();
    distribution.ifPresent(shared -> shared.coordinator.close());
  }

  /** Refused because the server is stopping. */
  public static final class ShuttingDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShuttingDownException() {
      super("the server is shutting down");
    }
  }

  /** A queued or running collection, joined by triggers that arrive meanwhile. */
  private static final class Job {
    final String url;
    private boolean full;
    private boolean running;
    private boolean again;
    private boolean againFull;
    private List<String> deliveries = new ArrayList<>();
    private List<String> againDeliveries = new ArrayList<>();

    /** What one run does: full or not, and the webhook deliveries it acts on. */
    record Run(boolean full, List<String> deliveries) {}

    Job(String url, boolean full, List<String> deliveries) {
      this.url = url;
      this.full = full;
      this.deliveries.addAll(deliveries);
    }

    synchronized Run start() {
      running = true;
      Run run = new Run(full, List.copyOf(deliveries));
      full = false;
      deliveries = new ArrayList<>();
      return run;
    }

    synchronized void requestAgain(boolean wantFull, List<String> moreDeliveries) {
      if (running) {
        again = true;
        againFull |= wantFull;
        againDeliveries.addAll(moreDeliveries);
      } else {
        full |= wantFull;
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
      deliveries = againDeliveries;
      againDeliveries = new ArrayList<>();
      return true;
    }

    synchronized boolean running() {
      return running;
    }
  }
}
