package io.gitcollector.core.engine;

import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Progress callbacks, for command-line output and dashboards. Called from sync threads; keep them quick. */
public interface SyncListener {

  SyncListener NONE = new SyncListener() {};

  /** A collection began, of {@code kinds} (those the platform serves of the ones asked for). */
  default void collectionStarted(String repositoryId, SyncMode mode, Set<EntityKind> kinds) {}

  /** A collection ended: completed when {@code failure} is empty, else failed with that message. */
  default void collectionEnded(String repositoryId, Optional<String> failure) {}

  /** A page was delivered to the sink and its cursor saved. */
  default void pageDelivered(String repositoryId, StreamKind stream, int items, long streamTotal) {}

  /**
   * How many entities the stream's pass holds after the page just delivered, as the platform tells (GraphQL's
   * {@code totalCount}); called after {@link #pageDelivered} when it is known. What a progress display turns into a
   * percentage and an ETA.
   */
  default void streamRemaining(String repositoryId, StreamKind stream, long remaining) {}

  /** The entities of a page the sink acknowledged (called before {@link #pageDelivered}). */
  default void entitiesDelivered(String repositoryId, StreamKind stream, List<? extends Entity> entities) {}

  /** A response reported the rate-limit budget. */
  default void rateLimit(String platformId, RateLimitStatus status) {}

  /** The engine is about to wait before the next request. */
  default void waiting(String platformId, Duration wait, String reason) {}
}
