package io.gitcollector.github.internal;

import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;

/**
 * The adapter's cursors. Commits are a walk from a pinned head ({@link PinnedHeadWalk.HeadCursor}: positions are
 * GraphQL history cursors, or {@code rest:<url>} on the REST-only path; the probe's ETag makes an unchanged branch
 * cost nothing); pull requests a walk by update time ({@link UpdateTimeWalk.WatermarkCursor}, ids are pull-request
 * numbers); repository metadata and contributors remember the ETag of their first request.
 */
final class GitHubCursors {
  static final String PAGING = "paging";
  static final String DONE = "done";

  private GitHubCursors() {}

  /** Repository metadata: the ETag of the last answer. */
  record RepositoryCursor(String etag) {}

  /** Contributors: the next page's URL, and the first page's ETag. */
  record ContributorCursor(String phase, String next, String etag) {}
}
