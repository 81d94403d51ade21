package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs listed newest first: an incremental pass reads back only the lookback and emits what it has not seen. */
class RecentWalkTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A run: its id, creation hour and status. */
  record Run(String id, int hour, String status) {}

  private static List<String> pass(List<Run> newestFirst, SyncMode mode, String[] cursor, List<Integer> pagesRead) {
    List<String> emitted = new ArrayList<>();
    Page<String> page;
    do {
      page = RecentWalk.next(new StreamRequest(mode, Optional.ofNullable(cursor[0])), Duration.ofHours(2),
          position -> {
            int from = position.map(Integer::parseInt).orElse(0);
            pagesRead.add(from);
            return new Listing<>(newestFirst.subList(from, Math.min(newestFirst.size(), from + 2)),
                from + 2 < newestFirst.size() ? Optional.of(Integer.toString(from + 2)) : Optional.empty());
          }, Run::id, Run::status, run -> T0.plusSeconds(run.hour() * 3_600L),
          runs -> runs.stream().map(run -> run.id() + ":" + run.status()).toList());
      emitted.addAll(page.items());
      cursor[0] = page.cursor();
    } while (!page.last());
    return emitted;
  }

  @Test
  void anIncrementalPassReadsTheLookbackAndEmitsOnlyWhatChanged() {
    List<Run> runs = new ArrayList<>(List.of(new Run("r6", 6, "running"), new Run("r5", 5, "done"),
        new Run("r4", 4, "done"), new Run("r3", 3, "done"), new Run("r2", 2, "done"), new Run("r1", 1, "done")));
    String[] cursor = {null};
    List<Integer> pages = new ArrayList<>();
    assertEquals(6, pass(runs, SyncMode.INCREMENTAL, cursor, pages).size(), "the first pass reads everything");
    assertEquals(List.of(0, 2, 4), pages);

    pages.clear();
    assertEquals(List.of(), pass(runs, SyncMode.INCREMENTAL, cursor, pages), "nothing changed");
    assertEquals(List.of(0, 2), pages, "runs created before the lookback (hour 4) are not read again");

    runs.set(0, new Run("r6", 6, "done"));
    runs.add(0, new Run("r7", 7, "queued"));
    assertEquals(List.of("r7:queued", "r6:done"), pass(runs, SyncMode.INCREMENTAL, cursor, new ArrayList<>()));
    assertEquals(7, pass(runs, SyncMode.FULL, cursor, new ArrayList<>()).size(), "a full pass emits everything");
  }

  @Test
  void pagesThatDidNotChangeAreAskedWithTheirValidatorAndCostNothing() {
    List<Run> runs = new ArrayList<>();
    for (int hour = 10; hour >= 1; hour--) {
      runs.add(new Run("r" + hour, hour, "done"));
    }
    int[] notModified = {0};
    String[] cursor = {null};
    java.util.function.Supplier<List<String>> pass = () -> {
      List<String> emitted = new ArrayList<>();
      Page<String> page;
      do {
        page = RecentWalk.next(new StreamRequest(SyncMode.INCREMENTAL, Optional.ofNullable(cursor[0])),
            Duration.ofHours(5), (SnapshotWalk.Reader<Run>) (position, etag) -> {
              int from = position.map(Integer::parseInt).orElse(0);
              List<Run> items = runs.subList(from, Math.min(runs.size(), from + 3));
              String tag = Integer.toString(items.hashCode());
              if (etag.equals(Optional.of(tag))) {
                notModified[0]++;
                return SnapshotWalk.Fetched.notModifiedPage();
              }
              return new SnapshotWalk.Fetched<>(false, items, from + 3 < runs.size()
                  ? Optional.of(Integer.toString(from + 3)) : Optional.empty(), Optional.of(tag));
            }, Run::id, Run::status, run -> T0.plusSeconds(run.hour() * 3_600L),
            changed -> changed.stream().map(Run::id).toList());
        emitted.addAll(page.items());
        cursor[0] = page.cursor();
      } while (!page.last());
      return emitted;
    };
    assertEquals(10, pass.get().size());
    assertEquals(List.of(), pass.get());
    assertEquals(3, notModified[0], "the pages of the lookback (hours 10 to 5, and the one that reaches past it)"
        + " answered not modified");
    runs.set(4, new Run("r6", 6, "re-run"));
    assertEquals(List.of("r6"), pass.get(), "the first and third pages unchanged, the second read again");
    assertEquals(5, notModified[0]);
  }
}
