package io.gitcollector.core.spi.toolkit;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pass over things that change in place (pull requests, issues), for platforms that list them newest update first:
 * a full pass walks them all in the adapter's stable order; an incremental pass walks by update time, newest first,
 * down to the watermark the previous pass left.
 *
 * <p>The watermark is the newest update time seen when a pass began, together with every id updated at exactly that
 * time. Platforms give update times to the second, so several items can tie with the watermark: those the previous
 * pass saw are skipped, the others emitted. Remembering only one id at the watermark would emit its ties again after
 * every change; remembering none would lose an item updated in the same second after the probe.
 */
public final class UpdateTimeWalk {
  static final String PAGING = "paging";
  static final String DONE = "done";

  private UpdateTimeWalk() {}

  /**
   * The walk's cursor. {@code next} is the position of the next page (absent on a pass's first page);
   * {@code watermark} and {@code watermarkIds} the previous pass's newest update time and the ids at it;
   * {@code newWatermark} and {@code newWatermarkIds} what this pass leaves for the next one; {@code etag} the probe's
   * validator. The aliases read cursors written before the walk was shared.
   */
  public record WatermarkCursor(String phase, boolean incremental, @JsonAlias("after") String next, String watermark,
      @JsonAlias("watermarkNumbers") List<Long> watermarkIds, String newWatermark,
      @JsonAlias("newWatermarkNumbers") List<Long> newWatermarkIds, String etag) {
    public WatermarkCursor {
      watermarkIds = watermarkIds == null ? List.of() : List.copyOf(watermarkIds);
      newWatermarkIds = newWatermarkIds == null ? List.of() : List.copyOf(newWatermarkIds);
    }
  }

  /** An item's id and update time. */
  public record Stamp(long id, Instant updated) {
    public Stamp {
      Objects.requireNonNull(updated, "updated");
    }
  }

  /** What the probe of the newest items found. */
  public sealed interface Probe permits Unchanged, Newest {}

  /** The conditional probe answered "not modified" (it had the cursor's ETag). */
  public record Unchanged() implements Probe {}

  /**
   * The first page of the list sorted by update time, newest first (a whole page, so that every tie with the newest
   * is seen), and the probe's validator for the next pass.
   */
  public record Newest(List<Stamp> newestFirst, Optional<String> etag) implements Probe {
    public Newest {
      newestFirst = List.copyOf(newestFirst);
      Objects.requireNonNull(etag, "etag");
    }
  }

  /**
   * Reads a page: for an incremental pass, newest update first (the watermark lets a platform filter on its side);
   * for a full pass, in a stable order; at the position (absent for the first page).
   */
  @FunctionalInterface
  public interface Reader<N> {
    Listing<N> read(boolean incremental, Optional<String> position, Optional<Instant> watermark);
  }

  /**
   * The next page of the walk.
   *
   * @param probe the newest items now, given the ETag of the last probe
   * @param stamp a listed item's id and update time
   * @param map the page's items above the watermark to what the stream emits
   */
  public static <N, T> Page<T> next(StreamRequest request, Function<Optional<String>, Probe> probe, Reader<N> reader,
      Function<N, Stamp> stamp, Function<List<N>, List<T>> map) {
    WatermarkCursor cursor = CursorCodec.read(request.cursor(), WatermarkCursor.class).orElse(null);
    if (cursor == null || !PAGING.equals(cursor.phase())) {
      Probe probed = probe.apply(Optional.ofNullable(cursor).map(WatermarkCursor::etag));
      if (probed instanceof Unchanged) {
        return Page.unchanged(request.cursor().orElseGet(() -> done(null, List.of(), null)));
      }
      Newest newest = (Newest) probed;
      String etag = newest.etag().orElse(null);
      if (newest.newestFirst().isEmpty()) {
        return new Page<>(List.of(), done(null, List.of(), etag), true);
      }
      Instant newestTime = newest.newestFirst().get(0).updated();
      List<Long> newIds = newest.newestFirst().stream().filter(s -> s.updated().equals(newestTime))
          .map(Stamp::id).sorted().toList();
      String newWatermark = newestTime.toString();
      boolean incremental = cursor != null && cursor.watermark() != null && request.mode() == SyncMode.INCREMENTAL;
      // the probe proves nothing changed only when it saw every tie: an item older than them ends its page
      boolean sawEveryTie = newIds.size() < newest.newestFirst().size();
      if (incremental && sawEveryTie && Instant.parse(cursor.watermark()).equals(newestTime)
          && cursor.watermarkIds().equals(newIds)) {
        return new Page<>(List.of(), done(cursor.watermark(), cursor.watermarkIds(), etag), true);
      }
      cursor = incremental
          ? new WatermarkCursor(PAGING, true, null, cursor.watermark(), cursor.watermarkIds(), newWatermark, newIds,
              etag)
          : new WatermarkCursor(PAGING, false, null, null, List.of(), newWatermark, newIds, etag);
    }
    Optional<Instant> watermark = Optional.ofNullable(cursor.watermark()).map(Instant::parse);
    Listing<N> listing = reader.read(cursor.incremental(), Optional.ofNullable(cursor.next()), watermark);
    List<N> fresh = new ArrayList<>(listing.items().size());
    boolean reachedWatermark = false;
    for (N item : listing.items()) {
      if (watermark.isPresent()) {
        Stamp itemStamp = stamp.apply(item);
        if (itemStamp.updated().isBefore(watermark.get())) {
          reachedWatermark = true;
          break;
        }
        if (itemStamp.updated().equals(watermark.get()) && cursor.watermarkIds().contains(itemStamp.id())) {
          continue;
        }
      }
      fresh.add(item);
    }
    List<T> items = map.apply(fresh);
    if (reachedWatermark || listing.next().isEmpty()) {
      return new Page<>(items, done(cursor.newWatermark(), cursor.newWatermarkIds(), cursor.etag()), true);
    }
    return new Page<>(items, CursorCodec.write(new WatermarkCursor(PAGING, cursor.incremental(),
        listing.next().get(), cursor.watermark(), cursor.watermarkIds(), cursor.newWatermark(),
        cursor.newWatermarkIds(), cursor.etag())), false);
  }

  private static String done(String watermark, List<Long> ids, String etag) {
    return CursorCodec.write(new WatermarkCursor(DONE, false, null, watermark, ids, null, List.of(), etag));
  }
}
