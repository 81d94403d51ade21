package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps subscribed repositories collected: incrementally every interval (spread by ±10 % so that many subscriptions
 * of one interval do not all fall due at once), fully every so often. Each pass queues what is due with the job
 * runner, and forgets webhook delivery ids older than a day.
 */
final class SubscriptionScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionScheduler.class);

  private final GitCollector collector;
  private final SubscriptionStore subscriptions;
  private final JobRunner runner;
  private final DeliveryLog deliveries;
  private final Duration defaultInterval;
  private final Duration fullSyncInterval;
  private final Duration tick;
  private final Clock clock;
  private final OrganizationFollower organizations;

  SubscriptionScheduler(GitCollector collector, SubscriptionStore subscriptions, JobRunner runner,
      DeliveryLog deliveries, Duration defaultInterval, Duration fullSyncInterval, Duration tick, Clock clock) {
    this.collector = collector;
    this.subscriptions = subscriptions;
    this.runner = runner;
    this.deliveries = deliveries;
    this.defaultInterval = defaultInterval;
    this.fullSyncInterval = fullSyncInterval;
    this.tick = tick;
    this.clock = clock;
    this.organizations = new OrganizationFollower(collector, subscriptions, this, runner, clock);
  }

  /** The organizations this server follows. */
  OrganizationFollower organizations() {
    return organizations;
  }

  Duration defaultInterval() {
    return defaultInterval;
  }

  void close() {
    organizations.close();
  }

  /** Subscribes a repository and collects it right away; the schedule takes over from the next interval. */
  Subscription subscribe(GitCollector.Target target, Optional<Duration> interval, Optional<Set<EntityKind>> kinds) {
    return subscribe(target, interval, kinds, Optional.empty());
  }

  /** The same, for a repository an organization's pass found ({@code organizationId}). */
  Subscription subscribe(GitCollector.Target target, Optional<Duration> interval, Optional<Set<EntityKind>> kinds,
      Optional<String> organizationId) {
    Duration every = interval.orElse(defaultInterval);
    if (every.compareTo(Duration.ofMinutes(1)) < 0 && interval.isPresent()) {
      throw new InvalidConfigurationException("interval must be at least one minute, was " + every);
    }
    Instant now = clock.instant();
    Subscription subscription = new Subscription(target.repositoryId(), target.repository().webUrl(), every,
        now.plus(jittered(every)), now.plus(fullSyncInterval), kinds, organizationId);
    subscriptions.save(subscription);
    runner.sync(target, false, kinds, List.of());
    return subscription;
  }

  /** One pass: due subscriptions are queued, expired delivery ids forgotten. Never throws. */
  void tick() {
    try {
      if (!runner.leadsSchedule(tick)) {
        return;
      }
      Instant now = clock.instant();
      organizations.queueDue(now);
      List<Subscription> all = subscriptions.all();
      int queued = 0;
      int fullSyncs = 0;
      for (Subscription subscription : all) {
        boolean full = !subscription.nextFullSync().isAfter(now);
        if (full || !subscription.nextSync().isAfter(now)) {
          try {
            runner.sync(collector.target(subscription.url()), full, subscription.kinds(), List.of());
            queued++;
            fullSyncs += full ? 1 : 0;
          } catch (CollectorException e) {
            LOG.warn("cannot queue the subscription of {}: {}", subscription.repositoryId(), e.getMessage());
          }
          subscriptions.update(subscription.repositoryId(), current -> current.rescheduled(
              now.plus(jittered(current.interval())), full ? now.plus(fullSyncInterval) : current.nextFullSync()));
        }
      }
      deliveries.expire();
      // a pass that queued work tells it at info; the passes in between (every SCHEDULER_TICK) at debug
      if (queued > 0) {
        LOG.info("scheduler pass: {} of {} subscriptions due, queued ({} full)", queued, all.size(), fullSyncs);
      } else {
        LOG.debug("scheduler pass: none of {} subscriptions due", all.size());
      }
    } catch (RuntimeException e) {
      LOG.warn("scheduler pass failed; the next one retries: {}", e.getMessage());
    }
  }

  /** Spreads syncs of many repositories with the same interval over ±10 % of it. */
  static Duration jittered(Duration interval) {
    long millis = interval.toMillis();
    long spread = millis / 10;
    return Duration.ofMillis(millis - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
  }
}
