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

  /**
   * A builder naming each field, for adapters: the platform's id, name, full name, creation and update times and web
   * URL are required; the rest default to absent, {@code main}, {@code public}, false and 0.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Repository} field by field. */
  public static final class Builder {
    private String platformId;
    private String name;
    private String fullName;
    private Optional<String> description = Optional.empty();
    private String defaultBranch = "main";
    private String visibility = "public";
    private boolean fork;
    private boolean archived;
    private Optional<String> language = Optional.empty();
    private long stars;
    private long forks;
    private long openIssues;
    private long sizeKb;
    private Instant createdAt;
    private Instant updatedAt;
    private Optional<Instant> pushedAt = Optional.empty();
    private String webUrl;

    private Builder() {}

    public Builder platformId(String value) {
      this.platformId = value;
      return this;
    }

    /** The short name and the full name ({@code owner/name}, {@code group/sub/project}). */
    public Builder names(String shortName, String full) {
      this.name = shortName;
      this.fullName = full;
      return this;
    }

    public Builder description(Optional<String> value) {
      this.description = value;
      return this;
    }

    public Builder defaultBranch(String value) {
      this.defaultBranch = value;
      return this;
    }

    public Builder visibility(String value) {
      this.visibility = value;
      return this;
    }

    public Builder fork(boolean value) {
      this.fork = value;
      return this;
    }

    public Builder archived(boolean value) {
      this.archived = value;
      return this;
    }

    public Builder language(Optional<String> value) {
      this.language = value;
      return this;
    }

    /** Stars, forks and open issues, as the platform counts them (0 where it does not). */
    public Builder counts(long starCount, long forkCount, long openIssueCount) {
      this.stars = starCount;
      this.forks = forkCount;
      this.openIssues = openIssueCount;
      return this;
    }

    public Builder sizeKb(long value) {
      this.sizeKb = value;
      return this;
    }

    /** Created, last updated, and last pushed to (where the platform says). */
    public Builder times(Instant created, Instant updated, Optional<Instant> pushed) {
      this.createdAt = created;
      this.updatedAt = updated;
      this.pushedAt = pushed;
      return this;
    }

    public Builder webUrl(String value) {
      this.webUrl = value;
      return this;
    }

    public Repository build() {
      return new Repository(platformId, name, fullName, description, defaultBranch, visibility, fork, archived,
          language, stars, forks, openIssues, sizeKb, createdAt, updatedAt, pushedAt, webUrl);
    }
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
