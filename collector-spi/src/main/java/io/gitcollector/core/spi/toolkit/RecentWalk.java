package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pass over things a platform lists newest created first and cannot filter by update (CI runs, deployments), that
 * change for a while after they are created (queued, running, re-run) and then no more: the lookback says how long.
 * A full pass reads them all; an incremental pass reads only those created within the lookback before the newest the
 * previous pass saw, and emits those it has not seen in their current version: the cursor remembers the version of
 * every item created within the lookback. An item that changes after the lookback is seen by its webhook, or by the
 * next full pass. Where the platform answers conditional requests and the previous pass ended on its first page, an
 * incremental pass asks that page with its ETag: a {@code 304} proves nothing in the window changed, for free.
 */
public final class RecentWalk {
  /** The lookback of CI runs, a setting of each adapter that walks them ({@code GITHUB_CI_RUNS_LOOKBACK}, …). */
  public static final io.gitcollector.core.spi.Setting CI_RUNS_LOOKBACK = io.gitcollector.core.spi.Setting
      .duration("ci_runs_lookback").withDefault(86_400)
      .doc("how long after it was created a CI run may still change (queued, running, re-run): incremental passes"
          + " read the runs created that long before the newest; seconds or ISO-8601");
  static final String PAGING = "paging";
  static final String DONE = "done";

  private RecentWalk() {}

  /**
   * The walk's cursor: whether the pass is full, the next page's position, the newest creation time seen, where an
   * incremental pass stops ({@code stopBefore}), the versions the previous pass saw ({@code seen}, by key) and those
   * this pass has seen so far ({@code seeing}); the first page's ETag, and whether the pass ended on that page (then
   * an unchanged first page is an unchanged window).
   */
  public record RecentCursor(String phase, boolean full, String next, String newest, String stopBefore,
      Map<String, String> seen, Map<String, String> seeing, String firstEtag, boolean onePage) {
    public RecentCursor {
      seen = seen == null ? Map.of() : Map.copyOf(seen);
      seeing = seeing == null ? Map.of() : Map.copyOf(seeing);
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
   * The next page of the walk, its first page asked conditionally.
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
    Optional<String> etag = Optional.empty();
    if (cursor == null || !PAGING.equals(cursor.phase())) {
      boolean full = cursor == null || cursor.newest() == null || request.mode() == SyncMode.FULL;
      if (cursor != null && request.mode() == SyncMode.INCREMENTAL && cursor.onePage()) {
        etag = Optional.ofNullable(cursor.firstEtag());
      }
      cursor = full ? new RecentCursor(PAGING, true, null, null, null, Map.of(), Map.of(), null, false)
          : new RecentCursor(PAGING, false, null, cursor.newest(),
              Instant.parse(cursor.newest()).minus(lookback).toString(), cursor.seen(), Map.of(), null, false);
    }
    boolean firstPage = cursor.next() == null;
    SnapshotWalk.Fetched<N> fetched = reader.read(Optional.ofNullable(cursor.next()), etag);
    if (fetched.notModified() && etag.isPresent()) {
      return Page.unchanged(request.cursor().orElseThrow());
    }
    Listing<N> listing = new Listing<>(fetched.items(), fetched.next());
    String firstEtag = firstPage ? fetched.etag().orElse(null) : cursor.firstEtag();
    String newest = cursor.newest();
    if (!listing.items().isEmpty()) {
      Instant first = created.apply(listing.items().get(0));
      if (newest == null || first.isAfter(Instant.parse(newest))) {
        newest = first.toString();
      }
    }
    Instant remembered = newest == null ? Instant.MAX : Instant.parse(newest).minus(lookback);
    Optional<Instant> stopBefore = Optional.ofNullable(cursor.stopBefore()).map(Instant::parse);
    Map<String, String> seeing = new HashMap<>(cursor.seeing());
    List<N> changed = new ArrayList<>();
    boolean reachedOld = false;
    for (N item : listing.items()) {
      Instant at = created.apply(item);
      if (stopBefore.isPresent() && at.isBefore(stopBefore.get())) {
        reachedOld = true;
        break;
      }
      String itemKey = key.apply(item);
      String itemVersion = version.apply(item);
      if (cursor.full() || !itemVersion.equals(cursor.seen().get(itemKey))) {
        changed.add(item);
      }
      if (!at.isBefore(remembered)) {
        seeing.put(itemKey, itemVersion);
      }
    }
    List<T> emitted = changed.isEmpty() ? List.of() : map.apply(changed);
    if (reachedOld || listing.next().isEmpty()) {
      return new Page<>(emitted, CursorCodec.write(new RecentCursor(DONE, false, null, newest, null, seeing,
          Map.of(), firstEtag, firstPage)), true);
    }
    return new Page<>(emitted, CursorCodec.write(new RecentCursor(PAGING, cursor.full(), listing.next().get(), newest,
        cursor.stopBefore(), cursor.seen(), seeing, firstEtag, false)), false);
  }
}
