package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A review or approval of a pull request. {@code state} is one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED,
 * PENDING (GitHub's vocabulary, to which other platforms map).
 */
public record Review(
    String platformId,
    Optional<String> author,
    String state,
    Optional<String> body,
    Optional<Instant> submittedAt,
    Optional<String> commitSha) {
  public Review {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(commitSha, "commitSha");
  }
}
