package io.gitcollector.bitbucket.internal;

import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;

/**
 * The adapter's cursors. Commits and contributors are walks from a pinned head ({@link PinnedHeadWalk.HeadCursor}:
 * the positions are the {@code next} URLs Bitbucket gives, the contributors' counts travel in the cursor); pull
 * requests a walk by update time ({@link UpdateTimeWalk.WatermarkCursor}, ids are pull-request ids); repository
 * metadata remembers its last update time.
 */
final class BitbucketCursors {
  private BitbucketCursors() {}

  /** Repository metadata: {@code updated_on} of the last answer, so an unchanged repository emits nothing. */
  record RepositoryCursor(String updatedOn) {}
}
