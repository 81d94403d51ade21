package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A followed repository found under a new path: renamed, or moved to another owner. The envelope's repository id is
 * the new one; {@code previousRepositoryId} is the id its earlier envelopes carry, so downstream can join the two
 * histories. {@code platformId} is the platform's own id, which the move kept.
 */
public record RepositoryRenamed(String platformId, String previousRepositoryId, String previousFullName,
    String fullName, String webUrl, Instant observedAt) implements Entity {

  public RepositoryRenamed {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(previousRepositoryId, "previousRepositoryId");
    Objects.requireNonNull(previousFullName, "previousFullName");
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(webUrl, "webUrl");
    Objects.requireNonNull(observedAt, "observedAt");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.REPOSITORY_RENAME;
  }

  @Override
  public String key() {
    return platformId;
  }

  /** The move itself: the same rename announced again has the same event id. */
  @Override
  public String version() {
    return previousFullName + " -> " + fullName;
  }

  @Override
  public Instant occurredAt() {
    return observedAt;
  }
}
