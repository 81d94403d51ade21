package io.gitcollector.core.spi;

import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.model.RepositoryRef;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A verified webhook delivery, reduced to what the engine acts on.
 *
 * @param deliveryId the platform's delivery id, for de-duplicating redeliveries
 * @param eventType the platform's event name, e.g. {@code push} or {@code pull_request}
 * @param action what the engine should do about it
 * @param repository the repository it concerns, when it concerns one
 * @param pullRequestNumber the pull request it concerns, for {@link Action#REFRESH_PULL_REQUEST}
 * @param entity the entity to fetch again, for {@link Action#REFRESH_ENTITY} and {@link Action#REFRESH_PULL_REQUEST}
 */
public record WebhookEvent(
    String deliveryId,
    String eventType,
    Action action,
    Optional<RepositoryRef> repository,
    OptionalLong pullRequestNumber,
    Optional<EntityRef> entity) {

  public enum Action {
    /** New commits or changed metadata: run an incremental sync of the repository. */
    SYNC_REPOSITORY,
    /** A pull request or one of its reviews changed: fetch that pull request again. */
    REFRESH_PULL_REQUEST,
    /** Another entity changed (an issue, a CI run, a deployment, a release): fetch that one again. */
    REFRESH_ENTITY,
    /** Verified, but nothing the collector tracks: acknowledge and ignore. */
    IGNORE
  }

  public WebhookEvent {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(pullRequestNumber, "pullRequestNumber");
    Objects.requireNonNull(entity, "entity");
    if (entity.isEmpty() && pullRequestNumber.isPresent()) {
      entity = Optional.of(EntityRef.pullRequest(pullRequestNumber.getAsLong()));
    }
    if ((action == Action.REFRESH_ENTITY || action == Action.REFRESH_PULL_REQUEST) && entity.isEmpty()) {
      throw new IllegalArgumentException(action + " names the entity to fetch again");
    }
  }

  /** The form before entities other than pull requests were fetched again. */
  public WebhookEvent(String deliveryId, String eventType, Action action, Optional<RepositoryRef> repository,
      OptionalLong pullRequestNumber) {
    this(deliveryId, eventType, action, repository, pullRequestNumber, Optional.empty());
  }

  /** A sync of the repository when the delivery names one, else nothing to do. */
  public static WebhookEvent sync(String deliveryId, String eventType, Optional<RepositoryRef> repository) {
    return new WebhookEvent(deliveryId, eventType, repository.isPresent() ? Action.SYNC_REPOSITORY : Action.IGNORE,
        repository, OptionalLong.empty());
  }

  /** A fresh fetch of one pull request when the delivery names both it and its repository, else nothing to do. */
  public static WebhookEvent refresh(String deliveryId, String eventType, Optional<RepositoryRef> repository,
      OptionalLong pullRequestNumber) {
    if (repository.isEmpty() || pullRequestNumber.isEmpty()) {
      return ignore(deliveryId, eventType, repository);
    }
    return new WebhookEvent(deliveryId, eventType, Action.REFRESH_PULL_REQUEST, repository, pullRequestNumber);
  }

  /**
   * A fresh fetch of one entity of {@code kind} when the delivery names both it and its repository, else nothing to
   * do. A pull request is fetched the way {@link #refresh} fetches it.
   */
  public static WebhookEvent refetch(String deliveryId, String eventType, Optional<RepositoryRef> repository,
      EntityKind kind, Optional<String> key) {
    if (repository.isEmpty() || key.isEmpty() || key.get().isBlank()) {
      return ignore(deliveryId, eventType, repository);
    }
    EntityRef entity = new EntityRef(kind, key.get());
    return kind.equals(EntityKind.PULL_REQUEST)
        ? new WebhookEvent(deliveryId, eventType, Action.REFRESH_PULL_REQUEST, repository,
            OptionalLong.of(entity.number()), Optional.of(entity))
        : new WebhookEvent(deliveryId, eventType, Action.REFRESH_ENTITY, repository, OptionalLong.empty(),
            Optional.of(entity));
  }

  /** Verified, but nothing the collector tracks. */
  public static WebhookEvent ignore(String deliveryId, String eventType, Optional<RepositoryRef> repository) {
    return new WebhookEvent(deliveryId, eventType, Action.IGNORE, repository, OptionalLong.empty());
  }
}
