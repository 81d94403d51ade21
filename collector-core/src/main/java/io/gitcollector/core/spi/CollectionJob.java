package io.gitcollector.core.spi;

import java.util.Objects;

/** A collection to run: which repository, full or incremental, and why (trigger, schedule, webhook). */
public record CollectionJob(String url, String repositoryId, boolean full, String reason) {
  public CollectionJob {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(reason, "reason");
  }
}
