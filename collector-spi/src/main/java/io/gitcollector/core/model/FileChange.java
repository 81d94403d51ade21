package io.gitcollector.core.model;

import java.util.Objects;
import java.util.Optional;

/** One file a commit touched. {@code status} is added, modified, removed, renamed, copied or changed. */
public record FileChange(String path, String status, int additions, int deletions, Optional<String> previousPath) {
  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(previousPath, "previousPath");
  }
}
