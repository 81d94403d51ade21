package io.gitcollector.core.spi.coordination;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Work to run on a repository: a collection, full or incremental, or, with {@code refetch}, the fresh fetch of one
 * entity (a pull request, an issue, …); why (trigger, schedule, webhook), the webhook delivery it acts on, if any,
 * and the kinds it collects (by stream name, {@link EntityKind#stream()}; empty: every kind the platform serves).
 */
public record CollectionJob(String url, String repositoryId, boolean full, String reason, Optional<EntityRef> refetch,
    Optional<String> delivery, Set<String> kinds) {
  public CollectionJob {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(refetch, "refetch");
    Objects.requireNonNull(delivery, "delivery");
    kinds = Set.copyOf(kinds);
  }

  /** A collection. */
  public CollectionJob(String url, String repositoryId, boolean full, String reason) {
    this(url, repositoryId, full, reason, Optional.empty(), Optional.empty(), Set.of());
  }

  /** The form before other entities than pull requests were fetched again. */
  public CollectionJob(String url, String repositoryId, boolean full, String reason, OptionalLong pullRequest,
      Optional<String> delivery) {
    this(url, repositoryId, full, reason, pullRequest.isPresent()
        ? Optional.of(EntityRef.pullRequest(pullRequest.getAsLong())) : Optional.empty(), delivery, Set.of());
  }

  /** The pull request this job fetches again, if it is one. */
  public OptionalLong pullRequest() {
    return refetch.filter(entity -> entity.kind().equals(EntityKind.PULL_REQUEST))
        .map(entity -> OptionalLong.of(entity.number())).orElse(OptionalLong.empty());
  }

  /** The same job, collecting only these kinds (stream names; empty: every kind). */
  public CollectionJob withKinds(Set<String> streams) {
    return new CollectionJob(url, repositoryId, full, reason, refetch, delivery, streams);
  }

  /** The refetch of one pull request, for a webhook delivery. */
  public static CollectionJob pullRequestRefresh(String url, String repositoryId, long number, String delivery) {
    return refetch(url, repositoryId, EntityRef.pullRequest(number), delivery);
  }

  /** The refetch of one entity, for a webhook delivery. */
  public static CollectionJob refetch(String url, String repositoryId, EntityRef entity, String delivery) {
    return new CollectionJob(url, repositoryId, false, "webhook", Optional.of(entity), Optional.of(delivery),
        Set.of());
  }

  /** An incremental collection, for a webhook delivery. */
  public static CollectionJob webhookSync(String url, String repositoryId, String delivery) {
    return new CollectionJob(url, repositoryId, false, "webhook", Optional.empty(), Optional.of(delivery), Set.of());
  }
}
