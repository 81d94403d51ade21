package io.gitcollector.server.service;

import io.gitcollector.core.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions in the state store ({@code subscription/<repository id>}, in their one JSON form), and the ones this
 * instance has seen, which it can restore if a shared store loses its data.
 */
final class SubscriptionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStore.class);
  static final String PREFIX = "subscription/";

  private final StateStore state;
  private final Map<String, Subscription> seen = new ConcurrentHashMap<>();

  SubscriptionStore(StateStore state) {
    this.state = state;
  }

  /**
   * Changes a subscription as it is now (its next sync, its interval), unless it was removed meanwhile: a scheduler
   * pass that read it earlier neither brings it back nor undoes a change made since. Removals and changes of this
   * instance are serialized; between instances the window is the time between this read and write.
   */
  synchronized void update(String repositoryId, java.util.function.UnaryOperator<Subscription> change) {
    get(repositoryId).ifPresent(current -> save(change.apply(current)));
  }

  void save(Subscription subscription) {
    state.put(PREFIX + subscription.repositoryId(), subscription.json().toString());
    seen.put(subscription.repositoryId(), subscription);
  }

  List<Subscription> all() {
    List<Subscription> all = new ArrayList<>();
    state.scan(PREFIX).forEach((key, value) -> readable(value).ifPresent(all::add));
    return all;
  }

  Optional<Subscription> get(String repositoryId) {
    return state.get(PREFIX + repositoryId).flatMap(SubscriptionStore::readable);
  }

  synchronized boolean remove(String repositoryId) {
    if (get(repositoryId).isEmpty()) {
      return false;
    }
    state.remove(PREFIX + repositoryId);
    seen.remove(repositoryId);
    return true;
  }

  /** Remembers every subscription the store holds now. */
  void refreshSeen() {
    all().forEach(s -> seen.put(s.repositoryId(), s));
  }

  /** The subscriptions this instance has seen, whether or not the store still holds them. */
  List<Subscription> seen() {
    return List.copyOf(seen.values());
  }

  private static Optional<Subscription> readable(String json) {
    try {
      return Optional.of(Subscription.read(json));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring an unreadable subscription: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
