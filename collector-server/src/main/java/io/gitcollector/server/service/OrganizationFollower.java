package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows organizations: each pass lists one (conditionally, page by page), announces renames, moves and deletions
 * and lets cursors follow renamed repositories ({@link GitCollector#settle}), then makes the repository subscriptions
 * of the organization exactly what the filter selected: new repositories are subscribed and collected at once, an
 * archived one is collected once more and then every {@code archived_interval}, and repositories that left (deleted,
 * moved out, renamed away from their old id, no longer matching the filter) are unsubscribed. Passes run on a thread
 * of their own, one organization at a time, so a long listing never holds up the repositories' schedule.
 */
final class OrganizationFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrganizationFollower.class);
  static final String PREFIX = "organization/";

  private final GitCollector collector;
  private final StateStore state;
  private final SubscriptionStore subscriptions;
  private final SubscriptionScheduler schedule;
  private final JobRunner runner;
  private final Clock clock;
  private final ExecutorService passes =
      Executors.newSingleThreadExecutor(DaemonThreads.named("organization-discovery"));
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** Organizations whose pass is running: the scheduler does not queue them again meanwhile (follow does). */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  OrganizationFollower(GitCollector collector, SubscriptionStore subscriptions, SubscriptionScheduler schedule,
      JobRunner runner, Clock clock) {
    this.collector = collector;
    this.state = collector.stateStore();
    this.subscriptions = subscriptions;
    this.schedule = schedule;
    this.runner = runner;
    this.clock = clock;
  }

  /**
   * Follows an organization from now on; its first pass is queued at once.
   *
   * @throws io.gitcollector.core.model.MalformedRepositoryUrlException if the URL cannot be read
   * @throws io.gitcollector.core.model.UnknownPlatformException if no installed platform lists it
   */
  OrganizationSubscription follow(String url, RepositoryFilter filter, Optional<Duration> interval,
      Optional<Duration> discoveryInterval, Optional<Duration> archivedInterval, Optional<Set<EntityKind>> kinds) {
    GitCollector.OrganizationTarget target = collector.organization(url);
    Duration discovery = discoveryInterval.orElse(OrganizationSubscription.DEFAULT_DISCOVERY_INTERVAL);
    if (discovery.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new InvalidConfigurationException("discovery_interval must be at least one minute, was " + discovery);
    }
    OrganizationSubscription subscription = new OrganizationSubscription(target.organizationId(),
        target.organization().webUrl(), filter, interval, discovery,
        archivedInterval.orElse(OrganizationSubscription.DEFAULT_ARCHIVED_INTERVAL), kinds, clock.instant(),
        get(target.organizationId()).flatMap(OrganizationSubscription::lastPass),
        get(target.organizationId()).flatMap(OrganizationSubscription::plan));
    save(subscription);
    queue(subscription.organizationId());
    return subscription;
  }

  List<OrganizationSubscription> all() {
    List<OrganizationSubscription> all = new ArrayList<>();
    state.scan(PREFIX).forEach((key, value) -> readable(value).ifPresent(all::add));
    return all;
  }

  Optional<OrganizationSubscription> get(String organizationId) {
    return state.get(PREFIX + organizationId).flatMap(OrganizationFollower::readable);
  }

  /** Stops following the organization and unsubscribes its repositories; false if it was not followed. */
  boolean unfollow(String organizationId) {
    if (get(organizationId).isEmpty()) {
      return false;
    }
    state.remove(PREFIX + organizationId);
    subscriptions.all().stream().filter(s -> s.organizationId().equals(Optional.of(organizationId)))
        .forEach(s -> subscriptions.remove(s.repositoryId()));
    return true;
  }

  /** Queues a pass of every organization whose discovery is due (the scheduler's leader calls it). */
  void queueDue(Instant now) {
    for (OrganizationSubscription organization : all()) {
      if (!organization.nextDiscovery().isAfter(now) && !running.contains(organization.organizationId())) {
        queue(organization.organizationId());
      }
    }
  }

  private void queue(String organizationId) {
    if (queued.add(organizationId)) {
      passes.execute(() -> {
        running.add(organizationId);
        queued.remove(organizationId);
        try {
          get(organizationId).ifPresent(this::pass);
        } finally {
          running.remove(organizationId);
        }
      });
    }
  }

  /** One pass; a failure is kept in the subscription ({@code last_discovery.error}) and retried at the next. */
  void pass(OrganizationSubscription organization) {
    Instant started = clock.instant();
    OrganizationSubscription.Pass outcome;
    Optional<ObjectNode> plan = Optional.empty();
    try {
      Reconciled reconciled = reconcile(organization, started);
      outcome = reconciled.pass();
      plan = reconciled.plan().map(PlanJson::write);
      LOG.info("organization {}: {} repositories listed, {} selected ({} pages, {} unchanged, {} requests);"
          + " {} subscribed, {} unsubscribed", organization.organizationId(), outcome.listed(), outcome.selected(),
          outcome.pages(), outcome.unchangedPages(), outcome.requests(), outcome.subscribed(), outcome.unsubscribed());
    } catch (CollectorException | IllegalStateException e) {
      LOG.warn("organization {}: the pass failed, the next one retries: {}", organization.organizationId(),
          e.getMessage());
      outcome = OrganizationSubscription.Pass.failed(started, e.getMessage());
    }
    // the subscription may have been removed while the pass ran: a pass does not bring it back
    if (get(organization.organizationId()).isPresent()) {
      save(organization.after(outcome, clock.instant().plus(SubscriptionScheduler.jittered(
          organization.discoveryInterval())), plan));
    }
  }

  /** A pass's outcome, and the plan it made when it subscribed repositories (or was the first). */
  private record Reconciled(OrganizationSubscription.Pass pass, Optional<CollectionPlan> plan) {}

  private Reconciled reconcile(OrganizationSubscription organization, Instant now) {
    GitCollector.OrganizationTarget target = collector.organization(organization.url());
    Discovery discovery = collector.discover(target, organization.filter());
    collector.settle(target, discovery);
    for (Discovery.Departure departure : discovery.departed()) {
      LOG.info("organization {}: {} {}{}", organization.organizationId(), departure.repository().repository(),
          departure.reason() == Discovery.Departure.Reason.DELETED ? "was deleted (or hidden from the credentials)"
              : "moved out", departure.movedTo().map(to -> " to " + to).orElse(""));
    }
    Map<String, DiscoveredRepository> wanted = new LinkedHashMap<>();
    for (DiscoveredRepository repository : discovery.selected()) {
      wanted.put(repository.repository().repositoryId(target.platformId()), repository);
    }
    Map<String, Subscription> followed = new LinkedHashMap<>();
    subscriptions.all().stream().filter(s -> s.organizationId().equals(Optional.of(organization.organizationId())))
        .forEach(s -> followed.put(s.repositoryId(), s));
    Optional<CollectionPlan> plan = Optional.empty();
    if (wanted.keySet().stream().anyMatch(id -> !followed.containsKey(id) && subscriptions.get(id).isEmpty())
        || organization.plan().isEmpty()) {
      // before repositories are subscribed (their first syncs start at once): what the round they begin costs, the
      // others' next syncs included
      plan = Optional.of(collector.plan(target, discovery, SyncMode.INCREMENTAL, organization.kinds()));
      LOG.info("organization {}: plan for {} repositories: about {} requests, {} rate-limit points over {} token(s),"
          + " {}", organization.organizationId(), plan.get().repositories(), plan.get().requests(),
          plan.get().points(), plan.get().tokens().size(), plan.get().rateLimited()
              ? "rate-limited: about " + plan.get().wallTime() : "about " + plan.get().wallTime());
    }
    int subscribed = 0;
    int unsubscribed = 0;
    for (Map.Entry<String, DiscoveredRepository> entry : wanted.entrySet()) {
      DiscoveredRepository repository = entry.getValue();
      Subscription existing = followed.get(entry.getKey());
      if (existing == null) {
        if (subscriptions.get(entry.getKey()).isPresent()) {
          continue; // subscribed by itself: its own settings stay
        }
        // an archived repository is collected once now, then rarely; the others every interval of the organization
        // (or of the server)
        schedule.subscribe(collector.target(target.platformId(), repository.repository()),
            repository.archived() ? Optional.of(organization.archivedInterval()) : organization.interval(),
            organization.kinds(), Optional.of(organization.organizationId()));
        subscribed++;
      } else if (repository.archived() && !existing.interval().equals(organization.archivedInterval())) {
        // archived since the last pass: collected once more now, then rarely
        runner.sync(collector.target(existing.url()), false, existing.kinds(), List.of());
        subscriptions.update(existing.repositoryId(), current -> current.every(organization.archivedInterval()));
      } else if (!repository.archived() && existing.interval().equals(organization.archivedInterval())
          && !intervalOf(organization, repository).equals(organization.archivedInterval())) {
        Duration every = intervalOf(organization, repository);
        subscriptions.update(existing.repositoryId(), current -> current.every(every));
      }
    }
    for (Subscription subscription : followed.values()) {
      if (!wanted.containsKey(subscription.repositoryId())) {
        subscriptions.remove(subscription.repositoryId());
        unsubscribed++;
      }
    }
    return new Reconciled(new OrganizationSubscription.Pass(now, discovery.listed().size(),
        discovery.selected().size(), discovery.pages(), discovery.unchangedPages(), discovery.requests(),
        discovery.added().size(), discovery.renamed().size(), discovery.archived().size(),
        discovery.departed().size(), subscribed, unsubscribed, Optional.empty()), plan);
  }

  private Duration intervalOf(OrganizationSubscription organization, DiscoveredRepository repository) {
    return repository.archived() ? organization.archivedInterval()
        : organization.interval().orElse(schedule.defaultInterval());
  }

  private void save(OrganizationSubscription subscription) {
    state.put(PREFIX + subscription.organizationId(), subscription.json().toString());
  }

  private static Optional<OrganizationSubscription> readable(String json) {
    try {
      return Optional.of(OrganizationSubscription.read(json));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring an unreadable organization subscription: {}", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    passes.shutdownNow();
  }
}
