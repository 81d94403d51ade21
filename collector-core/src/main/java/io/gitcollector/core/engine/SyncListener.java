package io.gitcollector.core.engine;

import io.gitcollector.core.spi.RateLimitStatus;
import java.time.Duration;

/** Progress callbacks, for command-line output and dashboards. Called from sync threads; keep them quick. */
public interface SyncListener {

  SyncListener NONE = new SyncListener() {};

  /** A page was delivered to the sink and its cursor saved. */
  default void pageDelivered(String repositoryId, StreamKind stream, int items, long streamTotal) {}

  /** A response reported the rate-limit budget. */
  default void rateLimit(String platformId, RateLimitStatus status) {}

  /** The engine is about to wait before the next request. */
  default void waiting(String platformId, Duration wait, String reason) {}
}
