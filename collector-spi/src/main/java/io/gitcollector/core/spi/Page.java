package io.gitcollector.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * One page of a stream. {@code cursor} resumes right after this page; the engine stores it only once the sink has
 * acknowledged every item. {@code last} is true on the page that completes the pass, whose cursor then serves as the
 * starting point of the next incremental sync. {@code remaining}, when the platform tells, is how many items the pass
 * holds after this page (what progress displays turn into a percentage and an ETA).
 */
public record Page<T>(List<T> items, String cursor, boolean last, java.util.OptionalLong remaining) {
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(remaining, "remaining");
  }

  /** A page of a pass whose size the platform does not tell. */
  public Page(List<T> items, String cursor, boolean last) {
    this(items, cursor, last, java.util.OptionalLong.empty());
  }

  /** A completed pass with nothing new, keeping the cursor it was given. */
  public static <T> Page<T> unchanged(String cursor) {
    return new Page<>(List.of(), cursor, true);
  }
}
