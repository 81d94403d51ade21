package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.toolkit.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.gitcollector.core.model.EntityKind;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does besides HTTP, in three parts wired here: a {@link JobRunner} that runs collections (on this
 * instance, or shared through a queue), a {@link SubscriptionScheduler} that keeps subscribed repositories
 * collected, and a {@link WebhookIntake} that turns verified deliveries into durable work.
 */
public final class CollectionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionService.class);

  private final GitCollector collector;
  private final ScheduledExecutorService scheduler;
  private final SubscriptionStore subscriptions;
  private final JobRunner runner;
  private final SubscriptionScheduler schedule;
  private final WebhookIntake intake;
  private final CollectionBoard board;
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
    this.collector = collector;
    Clock clock = Clock.systemUTC();
    this.board = CollectionBoard.watching(collector, clock);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("collector-scheduler"));
    this.subscriptions = new SubscriptionStore(collector.stateStore());
    DeliveryLog deliveries = new DeliveryLog(collector.stateStore(), clock);
    if (distribution.isPresent()) {
      this.runner = new SharedJobRunner(collector, distribution.get(), deliveries, subscriptions, scheduler,
          workerCount, shutdownGrace, clock);
    } else {
      LocalJobRunner local = new LocalJobRunner(collector, deliveries, scheduler, workerCount, shutdownGrace);
      local.replayPending();
      this.runner = local;
    }
    this.schedule = new SubscriptionScheduler(collector, subscriptions, runner, deliveries, defaultInterval,
        fullSyncInterval, schedulerTick, clock);
    this.intake = new WebhookIntake(collector, webhookSecrets, runner);
    scheduler.scheduleWithFixedDelay(schedule::tick, schedulerTick.toMillis(), schedulerTick.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** What the status page shows beyond statuses: running collections, recent failures, activity. */
  public CollectionBoard board() {
    return board;
  }

  /**
   * The status of every repository the server knows: collected before (its status in the state store, read in one
   * scan), subscribed, or running here, by repository id.
   */
  public Map<String, Status> statuses() {
    Map<String, SyncStatus> known = new java.util.TreeMap<>(collector.statuses());
    subscriptions.all().forEach(s -> known.putIfAbsent(s.repositoryId(), SyncStatus.idle(s.repositoryId())));
    board.running().forEach(p -> known.putIfAbsent(p.repositoryId(), SyncStatus.idle(p.repositoryId())));
    Map<String, Status> statuses = new java.util.LinkedHashMap<>();
    known.forEach((repositoryId, sync) -> statuses.put(repositoryId, status(repositoryId, sync)));
    return statuses;
  }

  /** What a trigger did. */
  public record Triggered(String repositoryId, String url, boolean joinedExisting) {}

  /**
   * Queues a collection. The URL and platform are checked now, so a bad one is the caller's error, not a failed job.
   */
  public Triggered trigger(String url, boolean full, Optional<Set<EntityKind>> kinds) {
    return runner.sync(collector.target(url), full, kinds, List.of());
  }

  /**
   * What this instance could restore if the shared store lost its data: whether it knows the store's epoch, and how
   * many subscriptions it remembers (refreshed at each scheduler pass). Empty without a shared store.
   */
  public record Recovery(boolean epochKnown, int subscriptionsRemembered) {}

  public Optional<Recovery> recovery() {
    return runner.recovery();
  }

  /** The shared job queue's health, when instances share work. */
  public Optional<Health> queueHealth() {
    return runner.queueHealth();
  }

  /** The status of a repository, with what the server knows beyond the engine: queued, running, next sync. */
  public record Status(SyncStatus sync, String state, Optional<java.time.Instant> nextSync) {}

  public Status status(String repositoryId) {
    return status(repositoryId, collector.status(repositoryId));
  }

  private Status status(String repositoryId, SyncStatus sync) {
    String current = runner.activity(repositoryId).orElse(sync.state().name().toLowerCase(Locale.ROOT));
    return new Status(sync, current, subscription(repositoryId).map(Subscription::nextSync));
  }

  /** Whether the repository is known at all: synced before, queued, or subscribed. */
  public boolean knows(String repositoryId) {
    return runner.activity(repositoryId).isPresent() || subscription(repositoryId).isPresent()
        || collector.status(repositoryId).state() != SyncStatus.State.IDLE;
  }

  public Subscription subscribe(String url, Optional<Duration> interval, Optional<Set<EntityKind>> kinds) {
    return schedule.subscribe(collector.target(url), interval, kinds);
  }

  public List<Subscription> subscriptions() {
    return subscriptions.all();
  }

  public Optional<Subscription> subscription(String repositoryId) {
    return subscriptions.get(repositoryId);
  }

  public boolean unsubscribe(String repositoryId) {
    return subscriptions.remove(repositoryId);
  }

  /**
   * Follows an organization (group, workspace): its repositories the filter selects are subscribed, and kept so as
   * it changes. The first pass is queued at once.
   */
  public OrganizationSubscription follow(String url, io.gitcollector.core.engine.RepositoryFilter filter,
      Optional<Duration> interval, Optional<Duration> discoveryInterval, Optional<Duration> archivedInterval,
      Optional<Set<EntityKind>> kinds) {
    return schedule.organizations().follow(url, filter, interval, discoveryInterval, archivedInterval, kinds);
  }

  public List<OrganizationSubscription> organizations() {
    return schedule.organizations().all();
  }

  public Optional<OrganizationSubscription> organization(String organizationId) {
    return schedule.organizations().get(organizationId);
  }

  /**
   * How far the organization's repositories have got against the plan its latest subscribing pass made
   * ({@link PlanJson#progress}); empty before any plan.
   */
  public Optional<com.fasterxml.jackson.databind.node.ObjectNode> progress(OrganizationSubscription organization) {
    return organization.plan().map(plan -> PlanJson.progress(plan, subscriptions.all().stream()
        .filter(s -> s.organizationId().equals(Optional.of(organization.organizationId())))
        .map(s -> collector.status(s.repositoryId())).toList(), java.time.Instant.now()));
  }

  /** Stops following an organization and unsubscribes the repositories it brought. */
  public boolean unfollow(String organizationId) {
    return schedule.organizations().unfollow(organizationId);
  }

  /** One pass of the scheduler (normally every {@code SCHEDULER_TICK}). */
  void tick() {
    schedule.tick();
  }

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
    return intake.accept(platformId, delivery);
  }

  /** Pull-request refreshes queued or running on this instance, for tests. */
  int pendingRefreshes() {
    return runner instanceof LocalJobRunner local ? local.pendingRefreshes() : 0;
  }

  /**
   * Stops intake, asks running collections to stop after the page each stream has in flight (that page is delivered
   * and its cursor saved), waits up to the grace period, then interrupts what is left; the caller closes the
   * collector, which flushes the sink.
   */
  @Override
  public void close() {
    accepting = false;
    collector.stopAfterCurrentPages();
    runner.close();
    schedule.close();
    scheduler.shutdownNow();
  }

  /** Shuts a pool of workers down: what runs may finish within {@code grace}, then it is interrupted. */
  static void stop(ExecutorService workers, Duration grace) {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("collections still running after {}; interrupting them", grace);
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }

  /** Refused because the server is stopping. */
  public static final class ShuttingDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShuttingDownException() {
      super("the server is shutting down");
    }
  }
}
