package io.gitcollector.gitlab.internal;

import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import java.util.List;

/**
 * The adapter's cursors. Commits and contributors are walks from a pinned head ({@link PinnedHeadWalk.HeadCursor};
 * positions are {@code page:N} or a keyset URL GitLab gave); repository metadata remembers its last activity time;
 * merge requests have a walk of their own, below.
 */
final class GitLabCursors {
  private GitLabCursors() {}

  /**
   * Merge requests and issues (each list its own cursor of this shape) are walked by update time, ascending, each page a fresh query {@code updated_after=after}: one
   * updated while the walk pages moves to its end instead of out of it. {@code idsAtAfter} are the merge requests
   * already emitted at exactly {@code after} (GitLab's {@code updated_after} includes that instant); {@code page} is
   * set only when a whole page shares one instant and the walk must page within it.
   */
  record MergeRequestCursor(String phase, String after, List<Long> idsAtAfter, String page) {}
}
