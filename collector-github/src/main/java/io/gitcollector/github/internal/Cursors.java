package io.gitcollector.github.internal;

import io.gitcollector.core.codec.CursorCodec;
import io.gitcollector.core.spi.StreamRequest;
import java.util.List;

/**
 * The adapter's cursors: small JSON documents the engine stores after each acknowledged page. A {@code done} cursor
 * closes a pass and remembers what the next incremental sync starts from; a {@code paging} cursor resumes a pass.
 */
final class Cursors {

  static final String PAGING = "paging";
  static final String DONE = "done";

  private Cursors() {}

  /** Repository metadata: the ETag of the last answer. */
  record RepositoryCursor(String etag) {}

  /** Commits: the head the pass walks from (pinned, so pages stay stable), where to resume, where to stop. */
  record CommitCursor(String phase, String head, String after, String stopAt, String etag) {}

  /**
   * Pull requests: a full pass walks by creation (stable as new ones append), an incremental one by update time,
   * newest first, down to the watermark. The watermark is the newest update time seen when the pass began, and
   * {@code watermarkNumbers} the pull requests known at exactly that time.
   */
  record PullCursor(
      String phase,
      boolean incremental,
      String after,
      String watermark,
      List<Long> watermarkNumbers,
      String newWatermark,
      List<Long> newWatermarkNumbers,
      String etag) {}

  /** Contributors: the next page's URL, and the first page's ETag. */
  record ContributorCursor(String phase, String next, String etag) {}

  /** The request's cursor, or null where there is none or it cannot be read (the stream then starts over). */
  static <T> T read(StreamRequest request, Class<T> type) {
    return CursorCodec.read(request.cursor(), type).orElse(null);
  }

  static String write(Object cursor) {
    return CursorCodec.write(cursor);
  }
}
