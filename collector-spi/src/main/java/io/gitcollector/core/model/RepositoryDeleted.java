package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A followed repository the platform no longer serves to the collector's credentials: deleted, or hidden from them.
 * The envelope's repository id is the repository's; nothing more is collected of it.
 */
public record RepositoryDeleted(String platformId, String fullName, Instant observedAt) implements Entity {

  public RepositoryDeleted {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(observedAt, "observedAt");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.REPOSITORY_DELETION;
  }

  @Override
  public String key() {
    return platformId;
  }

  @Override
  public String version() {
    return "deleted";
  }

  @Override
  public Instant occurredAt() {
    return observedAt;
  }
}
