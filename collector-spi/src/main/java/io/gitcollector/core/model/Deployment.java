package io.gitcollector.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A deployment of a commit to an environment, with the history of its status. Statuses are normalized across
 * platforms: {@code pending}, {@code in_progress}, {@code success}, {@code failure}, {@code error}, {@code inactive}
 * (superseded, cancelled or skipped); {@code platformStatus} keeps the platform's own word.
 */
public record Deployment(
    String platformId,
    String environment,
    String sha,
    Optional<String> ref,
    Optional<String> creator,
    String status,
    String platformStatus,
    Optional<Instant> statusAt,
    List<Status> statuses,
    Instant createdAt,
    Instant updatedAt,
    String webUrl)
    implements Entity {

  /** The normalized statuses. */
  public static final List<String> STATUSES = List.of("pending", "in_progress", "success", "failure", "error",
      "inactive");

  /** One status a deployment had, oldest first. */
  public record Status(String state, String platformState, Instant createdAt, Optional<String> description) {
    public Status {
      if (!STATUSES.contains(state)) {
        throw new IllegalArgumentException("a deployment's status is one of " + STATUSES + ", was '" + state + "'");
      }
      Objects.requireNonNull(platformState, "platformState");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(description, "description");
    }
  }

  public Deployment {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(sha, "sha");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(creator, "creator");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("a deployment's status is one of " + STATUSES + ", was '" + status + "'");
    }
    Objects.requireNonNull(platformStatus, "platformStatus");
    Objects.requireNonNull(statusAt, "statusAt");
    statuses = List.copyOf(statuses);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.DEPLOYMENT;
  }

  @Override
  public String key() {
    return platformId;
  }

  /** Changes with every new status. */
  @Override
  public String version() {
    return status + "|" + platformStatus + "|" + statuses.size() + "|" + statusAt.map(Instant::toString).orElse("")
        + "|" + updatedAt;
  }

  @Override
  public Instant occurredAt() {
    return updatedAt;
  }
}
