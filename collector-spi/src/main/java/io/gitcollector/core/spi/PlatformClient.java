package io.gitcollector.core.spi;

import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.InvalidWebhookException;
import java.util.Optional;

/**
 * Reads one platform. Each stream is a sequence of pages; each page carries the cursor that resumes right after it
 * (see {@link StreamRequest}). Every HTTP request goes through {@link PlatformContext#calls()}.
 *
 * <p>Implementations must be safe for the engine to call from several threads, one stream per thread.
 */
public interface PlatformClient extends AutoCloseable {

  /** Repository metadata: one page with the repository, or an empty last page if it did not change. */
  Page<Repository> repository(RepositoryRef repository, StreamRequest request);

  /** Commits of the default branch, with statistics. */
  Page<Commit> commits(RepositoryRef repository, StreamRequest request);

  /** Pull requests in every state, with their reviews. */
  Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request);

  /** Contributors with their contribution counts. */
  Page<Contributor> contributors(RepositoryRef repository, StreamRequest request);

  /**
   * A page of the stream of one kind. The collector's own kinds go to the methods above; an adapter that serves
   * more kinds ({@link PlatformProvider#kinds()}) answers them here.
   *
   * @throws IllegalArgumentException for a kind this client does not serve
   */
  default Page<? extends io.gitcollector.core.model.Entity> stream(io.gitcollector.core.model.EntityKind kind,
      RepositoryRef repository, StreamRequest request) {
    if (kind.equals(io.gitcollector.core.model.EntityKind.REPOSITORY)) {
      return repository(repository, request);
    }
    if (kind.equals(io.gitcollector.core.model.EntityKind.COMMIT)) {
      return commits(repository, request);
    }
    if (kind.equals(io.gitcollector.core.model.EntityKind.PULL_REQUEST)) {
      return pullRequests(repository, request);
    }
    if (kind.equals(io.gitcollector.core.model.EntityKind.CONTRIBUTOR)) {
      return contributors(repository, request);
    }
    throw new IllegalArgumentException("this client does not serve " + kind);
  }

  /**
   * A page of the repositories an organization, group (with its subgroups) or workspace holds that the credentials can
   * see, archived and forked ones included (the engine filters). Requests carry the page's last ETag; an unchanged page
   * is answered with {@link ListingPage#notModified}. Default: this platform cannot list organizations.
   *
   * @throws UnsupportedOperationException if the adapter cannot list an organization's repositories
   * @throws io.gitcollector.core.model.RepositoryNotFoundException if there is no such organization (or the
   *     credentials cannot see it)
   */
  default ListingPage organizationRepositories(io.gitcollector.core.model.OrganizationRef organization,
      ListingRequest request) {
    throw new UnsupportedOperationException("this platform adapter cannot list an organization's repositories");
  }

  /** One pull request fetched fresh, for webhook-triggered updates. */
  default Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    return Optional.empty();
  }

  /**
   * One entity fetched fresh, for webhook-triggered updates: empty if the platform no longer has it (or this client
   * cannot fetch one entity of that kind). Pull requests go to {@link #pullRequest}; an adapter that serves more
   * kinds answers them here.
   */
  default Optional<? extends io.gitcollector.core.model.Entity> fetch(RepositoryRef repository,
      io.gitcollector.core.model.EntityRef entity) {
    if (entity.kind().equals(io.gitcollector.core.model.EntityKind.PULL_REQUEST)) {
      return pullRequest(repository, entity.number());
    }
    return Optional.empty();
  }

  /**
   * Verifies a webhook delivery (signature or token, compared in constant time) and reads it. Used only when the
   * provider declares no {@link PlatformProvider#webhooks()}, which adapters should prefer: it needs no client.
   *
   * @throws InvalidWebhookException if the signature is wrong or missing, or the body cannot be read
   */
  default WebhookEvent parseWebhook(WebhookDelivery delivery, Optional<Secret> secret) {
    throw new InvalidWebhookException("this platform adapter does not handle webhooks");
  }

  @Override
  default void close() {}
}
