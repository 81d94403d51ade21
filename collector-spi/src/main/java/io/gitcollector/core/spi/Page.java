package io.gitcollector.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * One page of a stream. {@code cursor} resumes right after this page; the engine stores it only once the sink has
 * acknowledged every item. {@code last} is true on the page that completes the pass, whose cursor then serves as the
 * starting point of the next incremental sync.
 */
public record Page<T>(List<T> items, String cursor, boolean last) {
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(cursor, "cursor");
  }

  /** A completed pass with nothing new, keeping the cursor it was given. */
  public static <T> Page<T> unchanged(String cursor) {
    return new Page<>(List.of(), cursor, true);
  }
}
