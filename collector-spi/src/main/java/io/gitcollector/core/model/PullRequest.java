package io.gitcollector.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A pull or merge request with its reviews. {@code state} is open, closed or merged. */
public record PullRequest(
    String platformId,
    long number,
    String state,
    String title,
    Optional<String> author,
    String sourceBranch,
    String targetBranch,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> mergedAt,
    Optional<Instant> closedAt,
    Optional<String> mergeCommitSha,
    boolean draft,
    List<String> labels,
    List<Review> reviews,
    String webUrl)
    implements Entity {

  public PullRequest {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(sourceBranch, "sourceBranch");
    Objects.requireNonNull(targetBranch, "targetBranch");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(mergedAt, "mergedAt");
    Objects.requireNonNull(closedAt, "closedAt");
    Objects.requireNonNull(mergeCommitSha, "mergeCommitSha");
    labels = List.copyOf(labels);
    reviews = List.copyOf(reviews);
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.PULL_REQUEST;
  }

  @Override
  public String key() {
    return Long.toString(number);
  }

  @Override
  public String version() {
    StringBuilder version = new StringBuilder(updatedAt.toString()).append('|').append(state);
    for (Review review : reviews) {
      version.append('|').append(review.platformId()).append(':').append(review.state());
    }
    return version.toString();
  }

  @Override
  public Instant occurredAt() {
    return updatedAt;
  }
}
