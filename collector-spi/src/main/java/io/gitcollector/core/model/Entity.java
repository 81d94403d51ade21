package io.gitcollector.core.model;

import java.time.Instant;

/**
 * A normalized entity: the {@code data} of an envelope. Open to plugins: a record implementing it, with a kind
 * {@link EntityKind#declare declared} for it, is emitted and read back like the collector's own.
 */
public interface Entity {

  EntityKind kind();

  /** What identifies the entity within its repository (a sha, a pull-request number, a login). */
  String key();

  /**
   * What changes whenever the entity changes. Together with {@link #key()} it makes the event id: the same entity in
   * the same version always gets the same id.
   */
  String version();

  /** The entity's own time: when it last changed on the platform. */
  Instant occurredAt();

  /**
   * The moments this entity adds to a repository's activity over time, by series ({@code commits},
   * {@code pull_requests_merged}, …): what the status page charts per day. A series counts an entity once per day
   * however often it is delivered. None by default.
   */
  default java.util.Map<String, Instant> activity() {
    return java.util.Map.of();
  }
}
