package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An issue with its comments. {@code state} is {@code open} or {@code closed}; {@code stateReason} says why, where the
 * platform says ({@code completed}, {@code not_planned}, {@code reopened}, {@code duplicate}, …, in lower case).
 */
public record Issue(
    String platformId,
    long number,
    String title,
    Optional<String> body,
    String state,
    Optional<String> stateReason,
    Optional<String> author,
    List<String> assignees,
    List<String> labels,
    Optional<String> milestone,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> closedAt,
    List<Comment> comments,
    String webUrl)
    implements Entity {

  public Issue {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(state, "state");
    if (!state.equals("open") && !state.equals("closed")) {
      throw new IllegalArgumentException("an issue is open or closed, was '" + state + "'");
    }
    Objects.requireNonNull(stateReason, "stateReason");
    Objects.requireNonNull(author, "author");
    assignees = List.copyOf(assignees);
    labels = List.copyOf(labels);
    Objects.requireNonNull(milestone, "milestone");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(closedAt, "closedAt");
    comments = List.copyOf(comments);
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.ISSUE;
  }

  @Override
  public String key() {
    return Long.toString(number);
  }

  /** Changes with any edit of the issue and with any comment added, edited or deleted. */
  @Override
  public String version() {
    Instant lastComment = comments.stream().map(Comment::updatedAt).max(Comparator.naturalOrder())
        .orElse(Instant.EPOCH);
    return updatedAt + "|" + state + "|" + comments.size() + "|" + lastComment;
  }

  @Override
  public Instant occurredAt() {
    return updatedAt;
  }

  /** Opened when created; closed when closed, if it is. */
  @Override
  public java.util.Map<String, Instant> activity() {
    return closedAt.map(closed -> java.util.Map.of("issues_opened", createdAt, "issues_closed", closed))
        .orElseGet(() -> java.util.Map.of("issues_opened", createdAt));
  }

  /** A builder naming each field, for adapters: id, number, state, times and web URL are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Issue} field by field; the rest default to empty, absent or none. */
  public static final class Builder {
    private String platformId;
    private long number;
    private String state;
    private String title = "";
    private Optional<String> body = Optional.empty();
    private Optional<String> stateReason = Optional.empty();
    private Optional<String> author = Optional.empty();
    private List<String> assignees = List.of();
    private List<String> labels = List.of();
    private Optional<String> milestone = Optional.empty();
    private Instant createdAt;
    private Instant updatedAt;
    private Optional<Instant> closedAt = Optional.empty();
    private List<Comment> comments = List.of();
    private String webUrl;

    private Builder() {}

    /** The platform's own id, the number users see, and {@code open} or {@code closed}. */
    public Builder identity(String id, long issueNumber, String issueState) {
      this.platformId = id;
      this.number = issueNumber;
      this.state = issueState;
      return this;
    }

    public Builder text(String issueTitle, Optional<String> issueBody) {
      this.title = issueTitle;
      this.body = issueBody;
      return this;
    }

    public Builder stateReason(Optional<String> value) {
      this.stateReason = value;
      return this;
    }

    public Builder people(Optional<String> issueAuthor, List<String> issueAssignees) {
      this.author = issueAuthor;
      this.assignees = issueAssignees;
      return this;
    }

    public Builder labels(List<String> value) {
      this.labels = value;
      return this;
    }

    public Builder milestone(Optional<String> value) {
      this.milestone = value;
      return this;
    }

    public Builder times(Instant created, Instant updated, Optional<Instant> closed) {
      this.createdAt = created;
      this.updatedAt = updated;
      this.closedAt = closed;
      return this;
    }

    public Builder comments(List<Comment> value) {
      this.comments = value;
      return this;
    }

    public Builder webUrl(String value) {
      this.webUrl = value;
      return this;
    }

    public Issue build() {
      return new Issue(platformId, number, title, body, state, stateReason, author, assignees, labels, milestone,
          createdAt, updatedAt, closedAt, comments, webUrl);
    }
  }
}
