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

  /**
   * A builder naming each field, for adapters: the platform's id, number, state, times and web URL are required; the
   * rest default to empty, absent, not a draft, no labels and no reviews.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PullRequest} field by field. */
  public static final class Builder {
    private String platformId;
    private long number;
    private String state;
    private String title = "";
    private Optional<String> author = Optional.empty();
    private String sourceBranch = "";
    private String targetBranch = "";
    private Instant createdAt;
    private Instant updatedAt;
    private Optional<Instant> mergedAt = Optional.empty();
    private Optional<Instant> closedAt = Optional.empty();
    private Optional<String> mergeCommitSha = Optional.empty();
    private boolean draft;
    private List<String> labels = List.of();
    private List<Review> reviews = List.of();
    private String webUrl;

    private Builder() {}

    /** The platform's own id, the number users see, and {@code open}, {@code closed} or {@code merged}. */
    public Builder identity(String id, long pullNumber, String pullState) {
      this.platformId = id;
      this.number = pullNumber;
      this.state = pullState;
      return this;
    }

    public Builder title(String value) {
      this.title = value;
      return this;
    }

    public Builder author(Optional<String> value) {
      this.author = value;
      return this;
    }

    /** The branch it merges from, and the one it merges into. */
    public Builder branches(String source, String target) {
      this.sourceBranch = source;
      this.targetBranch = target;
      return this;
    }

    /** Created, last updated, merged and closed. */
    public Builder times(Instant created, Instant updated, Optional<Instant> merged, Optional<Instant> closed) {
      this.createdAt = created;
      this.updatedAt = updated;
      this.mergedAt = merged;
      this.closedAt = closed;
      return this;
    }

    public Builder mergeCommitSha(Optional<String> value) {
      this.mergeCommitSha = value;
      return this;
    }

    public Builder draft(boolean value) {
      this.draft = value;
      return this;
    }

    public Builder labels(List<String> value) {
      this.labels = value;
      return this;
    }

    public Builder reviews(List<Review> value) {
      this.reviews = value;
      return this;
    }

    public Builder webUrl(String value) {
      this.webUrl = value;
      return this;
    }

    public PullRequest build() {
      return new PullRequest(platformId, number, state, title, author, sourceBranch, targetBranch, createdAt,
          updatedAt, mergedAt, closedAt, mergeCommitSha, draft, labels, reviews, webUrl);
    }
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

  /** Opened when created; merged when merged, if it was. */
  @Override
  public java.util.Map<String, Instant> activity() {
    return mergedAt.map(merged -> java.util.Map.of("pull_requests_opened", createdAt, "pull_requests_merged", merged))
        .orElseGet(() -> java.util.Map.of("pull_requests_opened", createdAt));
  }
}
