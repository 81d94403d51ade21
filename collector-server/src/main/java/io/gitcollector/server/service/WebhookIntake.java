package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.UnknownPlatformException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook deliveries in: verified by the platform the request path names (without a client: the adapter's webhook
 * reader), reduced to the work they ask for, which acts only on repositories that platform's adapter serves, and
 * handed to the job runner, which makes the work durable before the caller answers {@code 202}.
 */
final class WebhookIntake {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
  static final int MAX_DELIVERY_ID = 128;

  private final GitCollector collector;
  private final Map<String, Secret> secrets;
  private final JobRunner runner;

  WebhookIntake(GitCollector collector, Map<String, Secret> secrets, JobRunner runner) {
    this.collector = collector;
    this.secrets = Map.copyOf(secrets);
    this.runner = runner;
  }

  /**
   * @throws io.gitcollector.core.model.InvalidWebhookException if verification fails
   * @throws MalformedWebhookException if an authentic delivery cannot be read
   */
  CollectionService.DeliveryOutcome accept(String platformId, WebhookDelivery delivery) {
    WebhookEvent event = collector.parseWebhook(platformId, delivery, Optional.ofNullable(secrets.get(platformId)));
    if (event.deliveryId().length() > MAX_DELIVERY_ID || event.deliveryId().isBlank()
        || event.deliveryId().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      // platforms send UUIDs or short hex ids; anything else would only be a key of unbounded length
      throw new MalformedWebhookException("the delivery id header holds " + event.deliveryId().length()
          + " characters; a delivery id is at most " + MAX_DELIVERY_ID + " printable ASCII characters");
    }
    Optional<JobRunner.Work> work = event.action() == WebhookEvent.Action.IGNORE || event.repository().isEmpty()
        ? Optional.empty()
        : servedBy(platformId, event).map(target -> new JobRunner.Work(target, new AcceptedDelivery.Work(
            event.action(), target.repository().webUrl(), event.entity())));
    CollectionService.DeliveryOutcome outcome = runner.accept(DeliveryLog.key(platformId, event.deliveryId()), work);
    if (outcome == CollectionService.DeliveryOutcome.ACCEPTED) {
      JobRunner.Work acted = work.orElseThrow();
      LOG.info("webhook {} delivery {} ({}): {} of {}", platformId, event.deliveryId(), event.eventType(),
          event.action().name().toLowerCase(java.util.Locale.ROOT), acted.target().repositoryId());
    } else {
      LOG.debug("webhook {} delivery {}: {}", platformId, event.deliveryId(), outcome.name().toLowerCase(
          java.util.Locale.ROOT));
    }
    return outcome;
  }

  /**
   * The repository a delivery names, as the receiving platform's adapter serves it: a delivery verified with one
   * platform's secret never makes the collector fetch from another platform (with that platform's token) or from a
   * host no adapter serves. Such a delivery is acknowledged, logged and counted, never acted on.
   */
  private Optional<GitCollector.Target> servedBy(String platformId, WebhookEvent event) {
    String url = event.repository().orElseThrow().webUrl();
    try {
      return Optional.of(collector.target(platformId, event.repository().get()));
    } catch (UnknownPlatformException e) {
      String reason;
      try {
        collector.target(url);
        reason = "other_platform";
      } catch (io.gitcollector.core.model.CollectorException unserved) {
        reason = "unserved_host";
      }
      LOG.warn("ignoring {} delivery {}: it names {}, which the {} adapter does not serve", platformId,
          event.deliveryId(), url, platformId);
      io.micrometer.core.instrument.Counter.builder("git_collector_webhooks_ignored")
          .description("verified webhook deliveries acknowledged and not acted on, by reason")
          .tags("platform", platformId, "reason", reason).register(collector.meterRegistry()).increment();
      return Optional.empty();
    }
  }
}
