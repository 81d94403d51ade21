package io.gitcollector.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One run of a CI pipeline or workflow. {@code status} is normalized across platforms: {@code queued},
 * {@code running}, or how it ended: {@code success}, {@code failure}, {@code cancelled}, {@code skipped};
 * {@code platformStatus} keeps the platform's own words ({@code completed/timed_out}, {@code manual},
 * {@code FAILED}, …). {@code durationSeconds} is the platform's own figure where it reports one (GitLab's and
 * Bitbucket's leave out time spent queued), else the time from start to finish.
 */
public record CiRun(
    String platformId,
    String name,
    String event,
    String headSha,
    Optional<String> headBranch,
    String status,
    String platformStatus,
    int attempt,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<Long> durationSeconds,
    Instant updatedAt,
    String webUrl)
    implements Entity {

  /** The normalized statuses. */
  public static final List<String> STATUSES = List.of("queued", "running", "success", "failure", "cancelled",
      "skipped");
  private static final Set<String> FINISHED = Set.of("success", "failure", "cancelled", "skipped");

  public CiRun {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(headSha, "headSha");
    Objects.requireNonNull(headBranch, "headBranch");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("a CI run's status is one of " + STATUSES + ", was '" + status + "'");
    }
    Objects.requireNonNull(platformStatus, "platformStatus");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, was " + attempt);
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(durationSeconds, "durationSeconds");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.CI_RUN;
  }

  @Override
  public String key() {
    return platformId;
  }

  /** Changes when the run moves on (queued, running, finished) or runs again (another attempt). */
  @Override
  public String version() {
    return status + "|" + platformStatus + "|" + attempt + "|" + updatedAt;
  }

  @Override
  public Instant occurredAt() {
    return updatedAt;
  }

  /** Whether it ended (and will change only if it runs again). */
  public boolean finished() {
    return FINISHED.contains(status);
  }

  /** The time from start to finish, when it started and finished: the duration of platforms that report none. */
  public static Optional<Long> secondsBetween(Optional<Instant> started, Optional<Instant> finished) {
    return started.flatMap(start -> finished.map(end -> Duration.between(start, end).toSeconds()));
  }
}
