package io.gitcollector.server.service;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.coordination.Lease;
import io.gitcollector.core.spi.StateStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's state store, with the writes of a repository this instance holds a lease on made conditional on that
 * lease still being the newest: an instance that stalled past its lease (a long GC pause, a network partition) and
 * woke up after another instance took the repository over cannot move its cursors any more.
 */
final class FencingStateStore implements StateStore {
  private final StateStore delegate;
  private final Coordinator coordinator;
  private final Map<String, Lease> held = new ConcurrentHashMap<>();

  FencingStateStore(StateStore delegate, Coordinator coordinator) {
    this.delegate = delegate;
    this.coordinator = coordinator;
  }

  void hold(Lease lease) {
    held.put(lease.repositoryId(), lease);
  }

  void release(Lease lease) {
    held.remove(lease.repositoryId(), lease);
  }

  @Override
  public void put(String key, String value) {
    Lease lease = GitCollector.repositoryOfStateKey(key).map(held::get).orElse(null);
    if (lease == null) {
      delegate.put(key, value);
      return;
    }
    if (!coordinator.putFenced(key, value, lease)) {
      throw new StateStoreException("the lease of " + lease.repositoryId() + " (fencing token "
          + lease.fencingToken() + ") passed to another instance; this instance's write of '" + key + "' was refused");
    }
  }

  @Override
  public Optional<String> get(String key) {
    return delegate.get(key);
  }

  @Override
  public boolean putIfAbsent(String key, String value) {
    return delegate.putIfAbsent(key, value);
  }

  @Override
  public boolean putIfAbsent(String key, String value, Duration expiry) {
    return delegate.putIfAbsent(key, value, expiry);
  }

  @Override
  public void remove(String key) {
    delegate.remove(key);
  }

  @Override
  public Map<String, String> scan(String prefix) {
    return delegate.scan(prefix);
  }

  @Override
  public io.gitcollector.core.spi.Health health() {
    return delegate.health();
  }

  @Override
  public String describe() {
    return delegate.describe() + ", fenced by leases";
  }

  @Override
  public void close() {
    delegate.close();
  }
}
