package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pass over things a platform lists newest created first and cannot filter by update (CI runs, deployments), that
 * change for a while after they are created (queued, running, re-run, superseded) and then no more: the lookback says
 * how long. A full pass reads them all; an incremental pass reads only those created within the lookback before the
 * newest the previous pass saw, and emits those it has not seen in their current version: the cursor remembers the
 * version of every item created within the lookback. An item that changes after the lookback is seen by its webhook,
 * or by the next full pass.
 *
 * <p>Each page is remembered with its validator (ETag): where the platform answers conditional requests, a page that
 * did not change is a {@code 304}, free of rate-limit points on GitHub, and keeps what the previous pass saw of it.
 */
public final class RecentWalk {
  /** The lookback of CI runs, a setting of each adapter that walks them ({@code GITHUB_CI_RUNS_LOOKBACK}, …). */
  public static final Setting CI_RUNS_LOOKBACK = Setting.duration("ci_runs_lookback").withDefault(86_400)
      .doc("how long after it was created a CI run may still change (queued, running, re-run): incremental passes"
          + " read the runs created that long before the newest; seconds or ISO-8601");
  /** The lookback of deployments: how long their status may still change. */
  public static final Setting DEPLOYMENTS_LOOKBACK = Setting.duration("deployments_lookback")
      .withDefault(7 * 86_400)
      .doc("how long after it was created a deployment may still change status (in progress, success, inactive when"
          + " superseded): incremental passes read the deployments created that long before the newest; seconds or"
          + " ISO-8601");
  static final String PAGING = "paging";
  static final String DONE = "done";

  private RecentWalk() {}

  /**
   * What a pass keeps of a page: where it was read, its validator, the next page's position, the creation time of its
   * oldest item, and the versions of its items created within the lookback.
   */
  public record RecentPage(String position, String etag, String next, String oldest, Map<String, String> versions) {
    public RecentPage {
      versions = versions == null ? Map.of() : Map.copyOf(versions);
    }
  }

  /**
   * The walk's cursor: whether the pass is full, the newest creation time seen, where an incremental pass stops
   * ({@code stopBefore}), the pages of the previous pass and those of this one so far.
   */
  public record RecentCursor(String phase, boolean full, String newest, String stopBefore, List<RecentPage> previous,
      List<RecentPage> current) {
    public RecentCursor {
      previous = previous == null ? List.of() : List.copyOf(previous);
      current = current == null ? List.of() : List.copyOf(current);
    }
  }

  /** Reads the page at {@code position} (empty: the first) of the list, newest created first. */
  @FunctionalInterface
  public interface Reader<N> {
    Listing<N> read(Optional<String> position);
  }

  /** The same, for a platform without conditional requests. */
  public static <N, T> Page<T> next(StreamRequest request, Duration lookback, Reader<N> reader,
      Function<N, String> key, Function<N, String> version, Function<N, Instant> created,
      Function<List<N>, List<T>> map) {
    return next(request, lookback, (SnapshotWalk.Reader<N>) (position, etag) -> SnapshotWalk.Fetched.of(
        reader.read(position), Optional.empty()), key, version, created, map);
  }

  /**
   * The next page of the walk, each page asked with the validator it had in the previous pass.
   *
   * @param key what identifies an item
   * @param version what changes whenever the item does
   * @param created when the item was created
   * @param map the page's new or changed items to what the stream emits
   */
  public static <N, T> Page<T> next(StreamRequest request, Duration lookback, SnapshotWalk.Reader<N> reader,
      Function<N, String> key, Function<N, String> version, Function<N, Instant> created,
      Function<List<N>, List<T>> map) {
    RecentCursor cursor = CursorCodec.read(request.cursor(), RecentCursor.class).orElse(null);
    if (cursor == null || !PAGING.equals(cursor.phase())) {
      boolean full = cursor == null || request.mode() == SyncMode.FULL;
      List<RecentPage> previous = cursor == null ? List.of() : cursor.previous();
      // an incremental pass after one that saw nothing reads everything again, asking each page conditionally
      cursor = full ? new RecentCursor(PAGING, true, null, null, previous, List.of())
          : new RecentCursor(PAGING, false, cursor.newest(), cursor.newest() == null ? null
              : Instant.parse(cursor.newest()).minus(lookback).toString(), previous, List.of());
    }
    String position = cursor.current().isEmpty() ? null : cursor.current().get(cursor.current().size() - 1).next();
    // a full pass emits everything: it asks unconditionally
    Optional<RecentPage> before = cursor.full() ? Optional.empty() : cursor.previous().stream()
        .filter(page -> Objects.equals(page.position(), position) && page.etag() != null).findFirst();
    SnapshotWalk.Fetched<N> fetched = reader.read(Optional.ofNullable(position), before.map(RecentPage::etag));
    Optional<Instant> stopBefore = Optional.ofNullable(cursor.stopBefore()).map(Instant::parse);
    String newest = cursor.newest();
    RecentPage state;
    List<T> emitted;
    boolean reachedOld;
    if (fetched.notModified() && before.isPresent()) {
      state = before.get();
      emitted = List.of();
      reachedOld = stopBefore.isPresent() && state.oldest() != null
          && Instant.parse(state.oldest()).isBefore(stopBefore.get());
    } else {
      List<N> items = fetched.items();
      if (!items.isEmpty()) {
        Instant first = created.apply(items.get(0));
        if (newest == null || first.isAfter(Instant.parse(newest))) {
          newest = first.toString();
        }
      }
      Instant remembered = newest == null ? Instant.MAX : Instant.parse(newest).minus(lookback);
      Map<String, String> seen = new HashMap<>();
      cursor.previous().forEach(page -> seen.putAll(page.versions()));
      Map<String, String> versions = new HashMap<>();
      List<N> changed = new ArrayList<>();
      reachedOld = false;
      for (N item : items) {
        Instant at = created.apply(item);
        if (stopBefore.isPresent() && at.isBefore(stopBefore.get())) {
          reachedOld = true;
          continue;
        }
        String itemKey = key.apply(item);
        String itemVersion = version.apply(item);
        if (cursor.full() || !itemVersion.equals(seen.get(itemKey))) {
          changed.add(item);
        }
        if (!at.isBefore(remembered)) {
          versions.put(itemKey, itemVersion);
        }
      }
      state = new RecentPage(position, fetched.etag().orElse(null), fetched.next().orElse(null),
          items.isEmpty() ? null : created.apply(items.get(items.size() - 1)).toString(), versions);
      emitted = changed.isEmpty() ? List.of() : map.apply(changed);
    }
    List<RecentPage> pages = new ArrayList<>(cursor.current());
    pages.add(state);
    if (reachedOld || state.next() == null) {
      return new Page<>(emitted, CursorCodec.write(new RecentCursor(DONE, false, newest, null, pages, List.of())),
          true);
    }
    return new Page<>(emitted, CursorCodec.write(new RecentCursor(PAGING, cursor.full(), newest, cursor.stopBefore(),
        cursor.previous(), pages)), false);
  }
}
