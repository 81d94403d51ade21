package io.gitcollector.core.engine;

import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one collector, told in the order they were added. A listener that throws is logged and passed
 * over: watching a collection never fails it.
 */
final class SyncListeners implements SyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(SyncListeners.class);
  private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();

  void add(SyncListener listener) {
    listeners.add(listener);
  }

  private void tell(Consumer<SyncListener> call) {
    for (SyncListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("a sync listener ({}) failed: {}", listener.getClass().getName(), e.toString());
      }
    }
  }

  @Override
  public void collectionStarted(String repositoryId, SyncMode mode, Set<EntityKind> kinds) {
    tell(listener -> listener.collectionStarted(repositoryId, mode, kinds));
  }

  @Override
  public void collectionEnded(String repositoryId, Optional<String> failure) {
    tell(listener -> listener.collectionEnded(repositoryId, failure));
  }

  @Override
  public void pageDelivered(String repositoryId, StreamKind stream, int items, long streamTotal) {
    tell(listener -> listener.pageDelivered(repositoryId, stream, items, streamTotal));
  }

  @Override
  public void entitiesDelivered(String repositoryId, StreamKind stream, List<? extends Entity> entities) {
    tell(listener -> listener.entitiesDelivered(repositoryId, stream, entities));
  }

  @Override
  public void streamRemaining(String repositoryId, StreamKind stream, long remaining) {
    tell(listener -> listener.streamRemaining(repositoryId, stream, remaining));
  }

  @Override
  public void rateLimit(String platformId, RateLimitStatus status) {
    tell(listener -> listener.rateLimit(platformId, status));
  }

  @Override
  public void waiting(String platformId, Duration wait, String reason) {
    tell(listener -> listener.waiting(platformId, wait, reason));
  }
}
