package io.gitcollector.core.spi.coordination;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Work to run on a repository: a collection, full or incremental, or, with {@code pullRequest}, the refetch of one
 * pull request; why (trigger, schedule, webhook), and the webhook delivery it acts on, if any.
 */
public record CollectionJob(String url, String repositoryId, boolean full, String reason, OptionalLong pullRequest,
    Optional<String> delivery) {
  public CollectionJob {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(pullRequest, "pullRequest");
    Objects.requireNonNull(delivery, "delivery");
  }

  /** A collection. */
  public CollectionJob(String url, String repositoryId, boolean full, String reason) {
    this(url, repositoryId, full, reason, OptionalLong.empty(), Optional.empty());
  }

  /** The refetch of one pull request, for a webhook delivery. */
  public static CollectionJob pullRequestRefresh(String url, String repositoryId, long number, String delivery) {
    return new CollectionJob(url, repositoryId, false, "webhook", OptionalLong.of(number), Optional.of(delivery));
  }

  /** An incremental collection, for a webhook delivery. */
  public static CollectionJob webhookSync(String url, String repositoryId, String delivery) {
    return new CollectionJob(url, repositoryId, false, "webhook", OptionalLong.empty(), Optional.of(delivery));
  }
}
