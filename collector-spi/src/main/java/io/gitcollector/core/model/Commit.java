package io.gitcollector.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A commit with its statistics. {@code files} is empty unless per-file detail was collected (a platform setting,
 * since it costs a request per commit on some platforms); {@code changedFiles} is known either way where the platform
 * reports it, and -1 where it does not.
 */
public record Commit(
    String sha,
    List<String> parents,
    GitIdentity author,
    GitIdentity committer,
    String message,
    int additions,
    int deletions,
    int changedFiles,
    List<FileChange> files,
    String webUrl)
    implements Entity {

  public Commit {
    Objects.requireNonNull(sha, "sha");
    parents = List.copyOf(parents);
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(message, "message");
    files = List.copyOf(files);
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.COMMIT;
  }

  @Override
  public String key() {
    return sha;
  }

  /** A commit never changes; what we know of it may (per-file detail), so that is part of its version. */
  @Override
  public String version() {
    return files.isEmpty() ? "stats" : "files";
  }

  @Override
  public Instant occurredAt() {
    return committer.date();
  }

  /** A commit counts on its committer date. */
  @Override
  public java.util.Map<String, Instant> activity() {
    return java.util.Map.of("commits", committer.date());
  }
}
