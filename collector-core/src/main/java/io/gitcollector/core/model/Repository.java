package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Repository metadata, the same shape on every platform; {@code platformId} is the platform's own id. */
public record Repository(
    String platformId,
    String name,
    String fullName,
    Optional<String> description,
    String defaultBranch,
    String visibility,
    boolean fork,
    boolean archived,
    Optional<String> language,
    long stars,
    long forks,
    long openIssues,
    long sizeKb,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> pushedAt,
    String webUrl)
    implements Entity {

  public Repository {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaultBranch, "defaultBranch");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(pushedAt, "pushedAt");
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.REPOSITORY;
  }

  @Override
  public String key() {
    return platformId;
  }

  @Override
  public String version() {
    return updatedAt + "|" + pushedAt.map(Instant::toString).orElse("") + "|" + stars + "|" + forks + "|"
        + openIssues + "|" + defaultBranch + "|" + fullName + "|" + archived + "|" + visibility;
  }

  @Override
  public Instant occurredAt() {
    return pushedAt.filter(p -> p.isAfter(updatedAt)).orElse(updatedAt);
  }
}
