package io.gitcollector.github.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gitcollector.core.spi.StreamRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's cursors: small JSON documents the engine stores after each acknowledged page. A {@code done} cursor
 * closes a pass and remembers what the next incremental sync starts from; a {@code paging} cursor resumes a pass.
 */
final class Cursors {
  private static final Logger LOG = LoggerFactory.getLogger(Cursors.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

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

  static <T> T read(StreamRequest request, Class<T> type) {
    if (request.cursor().isEmpty()) {
      return null;
    }
    try {
      return JSON.readValue(request.cursor().get(), type);
    } catch (IOException e) {
      // an unreadable cursor starts the stream over: duplicates, never losses
      LOG.warn("ignoring an unreadable {} cursor: {}", type.getSimpleName(), e.getMessage());
      return null;
    }
  }

  static String write(Object cursor) {
    try {
      return JSON.writeValueAsString(cursor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
