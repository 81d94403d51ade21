package io.gitcollector.server.service;

import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.StateStore;
import java.time.Duration;

/**
 * What lets several server instances share the work: the coordinator (shared job queue, leases) and the engine's
 * state store fenced by those leases.
 */
public final class Distribution {
  final Coordinator coordinator;
  final FencingStateStore stateStore;
  final Duration leaseTtl;

  private Distribution(Coordinator coordinator, FencingStateStore stateStore, Duration leaseTtl) {
    this.coordinator = coordinator;
    this.stateStore = stateStore;
    this.leaseTtl = leaseTtl;
  }

  public static Distribution over(StateStore shared, Coordinator coordinator, Duration leaseTtl) {
    return new Distribution(coordinator, new FencingStateStore(shared, coordinator), leaseTtl);
  }

  /** The state store to build the collector with. */
  public StateStore stateStore() {
    return stateStore;
  }

  public String instanceId() {
    return coordinator.instanceId();
  }
}
