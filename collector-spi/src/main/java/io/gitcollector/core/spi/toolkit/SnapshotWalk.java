package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pass over a short list that a platform cannot filter or order by update time (releases, tags): every pass reads
 * the whole list, page by page, and emits only the items whose version differs from the one the previous pass saw, so
 * an unchanged list emits nothing and a changed one exactly what changed.
 *
 * <p>Each page remembers its validator (ETag) and the versions of its items. Where the platform answers conditional
 * requests, an unchanged page is a {@code 304} (free of rate-limit points on GitHub) and keeps the previous pass's
 * state, so an idle pass costs no points at all. A full pass emits every item.
 */
public final class SnapshotWalk {
  static final String PAGING = "paging";
  static final String DONE = "done";

  private SnapshotWalk() {}

  /**
   * What a pass remembers of one page: the position it was read at, its validator, the position of the next page,
   * and its items' versions by key.
   */
  public record PageState(String position, String etag, String next, Map<String, String> versions) {
    public PageState {
      versions = versions == null ? Map.of() : Map.copyOf(versions);
    }
  }

  /**
   * The walk's cursor: {@code previous} the pages of the last completed pass, {@code current} those of this one so
   * far (empty between passes).
   */
  public record SnapshotCursor(String phase, List<PageState> previous, List<PageState> current) {
    public SnapshotCursor {
      previous = previous == null ? List.of() : List.copyOf(previous);
      current = current == null ? List.of() : List.copyOf(current);
    }
  }

  /** A page as read: not modified since {@code etag}, or its items, the next page's position and its validator. */
  public record Fetched<N>(boolean notModified, List<N> items, Optional<String> next, Optional<String> etag) {
    public Fetched {
      items = List.copyOf(items);
      Objects.requireNonNull(next, "next");
      Objects.requireNonNull(etag, "etag");
    }

    public static <N> Fetched<N> notModifiedPage() {
      return new Fetched<>(true, List.of(), Optional.empty(), Optional.empty());
    }

    public static <N> Fetched<N> of(Listing<N> listing, Optional<String> etag) {
      return new Fetched<>(false, listing.items(), listing.next(), etag);
    }
  }

  /** Reads the page at {@code position} (empty: the first), conditionally on {@code etag} when there is one. */
  @FunctionalInterface
  public interface Reader<N> {
    Fetched<N> read(Optional<String> position, Optional<String> etag);
  }

  /**
   * The next page of the walk.
   *
   * @param key what identifies an item (a tag)
   * @param version what changes whenever the item does
   * @param map the page's changed items to what the stream emits
   */
  public static <N, T> Page<T> next(StreamRequest request, Reader<N> reader, Function<N, String> key,
      Function<N, String> version, Function<List<N>, List<T>> map) {
    SnapshotCursor cursor = CursorCodec.read(request.cursor(), SnapshotCursor.class)
        .orElse(new SnapshotCursor(DONE, List.of(), List.of()));
    List<PageState> previous = request.mode() == SyncMode.FULL && !PAGING.equals(cursor.phase()) ? List.of()
        : cursor.previous();
    List<PageState> current = PAGING.equals(cursor.phase()) ? cursor.current() : List.of();
    Optional<String> position = current.isEmpty() ? Optional.empty()
        : Optional.ofNullable(current.get(current.size() - 1).next());
    Optional<PageState> before = previous.stream()
        .filter(page -> Objects.equals(page.position(), position.orElse(null))).findFirst();
    Fetched<N> fetched = reader.read(position, before.map(PageState::etag));
    PageState state;
    List<T> emitted;
    if (fetched.notModified() && before.isPresent()) {
      state = before.get();
      emitted = List.of();
    } else {
      Map<String, String> seen = new HashMap<>();
      previous.forEach(page -> seen.putAll(page.versions()));
      Map<String, String> versions = new LinkedHashMap<>();
      List<N> changed = new ArrayList<>();
      for (N item : fetched.items()) {
        String itemKey = key.apply(item);
        String itemVersion = version.apply(item);
        versions.put(itemKey, itemVersion);
        if (!itemVersion.equals(seen.get(itemKey))) {
          changed.add(item);
        }
      }
      state = new PageState(position.orElse(null), fetched.etag().orElse(null), fetched.next().orElse(null),
          versions);
      emitted = changed.isEmpty() ? List.of() : map.apply(changed);
    }
    List<PageState> pages = new ArrayList<>(current);
    pages.add(state);
    if (state.next() == null) {
      return new Page<>(emitted, CursorCodec.write(new SnapshotCursor(DONE, pages, List.of())), true);
    }
    return new Page<>(emitted, CursorCodec.write(new SnapshotCursor(PAGING, previous, pages)), false);
  }
}
