package io.gitcollector.server.service;

import io.gitcollector.core.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of webhook deliveries in the state store: each delivery id once (for a day), with the work it
 * asked for, and a second record once that work ran. A delivery with work and no done record is pending: its work was
 * accepted with a {@code 202} and must be acted on, even after a crash.
 */
final class DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);
  static final String DELIVERIES = "delivery/";
  /** A delivery whose work is done: written after the work, so a delivery without it is replayed at start. */
  static final String DONE = "delivery-done/";
  static final Duration MEMORY = Duration.ofDays(1);

  private final StateStore state;
  private final Clock clock;

  DeliveryLog(StateStore state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  /** The key of a delivery's record ({@code delivery/github/<id>}); its platform is the part before the slash. */
  static String key(String platformId, String deliveryId) {
    return platformId + "/" + deliveryId;
  }

  static String platformOf(String deliveryKey) {
    return deliveryKey.substring(0, deliveryKey.indexOf('/'));
  }

  /** The record of a delivery, to be written once: with its work in single-instance mode, without on a queue. */
  String record(Optional<AcceptedDelivery.Work> work) {
    return new AcceptedDelivery(clock.instant().plus(MEMORY), work).json();
  }

  /** Records a delivery id with its work; false if the id was recorded before (a redelivery). */
  boolean recordOnce(String deliveryKey, Optional<AcceptedDelivery.Work> work) {
    return state.putIfAbsent(DELIVERIES + deliveryKey, record(work), MEMORY);
  }

  /** Forgets a delivery id whose work could not be taken, so that the platform's redelivery is taken. */
  void forget(String deliveryKey) {
    state.remove(DELIVERIES + deliveryKey);
  }

  /** Records that these deliveries' work ran (one journaled write each, expiring with the delivery id). */
  void markDone(List<String> deliveryKeys) {
    for (String deliveryKey : deliveryKeys) {
      try {
        state.putIfAbsent(DONE + deliveryKey, record(Optional.empty()), MEMORY);
      } catch (RuntimeException e) {
        LOG.warn("cannot mark webhook delivery {} done; it is replayed at the next start: {}", deliveryKey,
            e.getMessage());
      }
    }
  }

  /** Deliveries accepted with work that was never marked done, and not expired, by key. */
  Map<String, AcceptedDelivery.Work> pending() {
    Instant now = clock.instant();
    Set<String> done = state.scan(DONE).keySet();
    Map<String, AcceptedDelivery.Work> pending = new LinkedHashMap<>();
    state.scan(DELIVERIES).forEach((key, value) -> {
      String deliveryKey = key.substring(DELIVERIES.length());
      AcceptedDelivery record = AcceptedDelivery.read(value);
      if (record.work().isPresent() && !done.contains(DONE + deliveryKey) && !record.expires().isBefore(now)) {
        pending.put(deliveryKey, record.work().get());
      }
    });
    return pending;
  }

  /** Forgets delivery ids and done marks older than a day. */
  void expire() {
    Instant now = clock.instant();
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
  }
}
