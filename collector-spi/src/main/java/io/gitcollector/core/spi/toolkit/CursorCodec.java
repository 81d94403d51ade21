package io.gitcollector.core.spi.toolkit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cursors as small JSON documents, for adapters: a record is written without its absent fields and read back ignoring
 * fields it does not know (a cursor written by a newer version still resumes). A cursor that cannot be read is
 * reported as absent, so its stream starts over: duplicates downstream, never a loss.
 */
public final class CursorCodec {
  private static final Logger LOG = LoggerFactory.getLogger(CursorCodec.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private CursorCodec() {}

  /** The cursor read as {@code type}; empty if there is none or it cannot be read (logged, without its content). */
  public static <T> Optional<T> read(Optional<String> cursor, Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readValue(cursor.get(), type));
    } catch (IOException e) {
      LOG.warn("ignoring an unreadable {} cursor; its stream starts over: {}", type.getSimpleName(),
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /** The cursor as JSON. */
  public static String write(Object cursor) {
    Objects.requireNonNull(cursor, "cursor");
    try {
      return JSON.writeValueAsString(cursor);
    } catch (IOException e) {
      throw new UncheckedIOException("a cursor of type " + cursor.getClass().getSimpleName() + " cannot be written", e);
    }
  }
}
