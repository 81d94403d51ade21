package io.gitcollector.core.model;

import java.time.Instant;

/** A normalized entity: the {@code data} of an envelope. */
public sealed interface Entity permits Repository, Commit, PullRequest, Contributor {

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
}
