package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The walk by update time against pull requests held in memory (id → update time), pages of two. */
class UpdateTimeWalkTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final Map<Long, Instant> pulls = new LinkedHashMap<>();
  private int pagesRead;

  private List<UpdateTimeWalk.Stamp> newestFirst() {
    return pulls.entrySet().stream().map(e -> new UpdateTimeWalk.Stamp(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing(UpdateTimeWalk.Stamp::updated).reversed()
            .thenComparing(UpdateTimeWalk.Stamp::id)).toList();
  }

  private Listing<UpdateTimeWalk.Stamp> read(boolean incremental, Optional<String> position,
      Optional<Instant> watermark) {
    pagesRead++;
    List<UpdateTimeWalk.Stamp> order = incremental ? newestFirst()
        : newestFirst().stream().sorted(Comparator.comparing(UpdateTimeWalk.Stamp::id)).toList();
    int from = position.map(Integer::parseInt).orElse(0);
    List<UpdateTimeWalk.Stamp> page = order.subList(from, Math.min(order.size(), from + 2));
    return new Listing<>(page, from + 2 < order.size() ? Optional.of(Integer.toString(from + 2)) : Optional.empty());
  }

  private List<Long> pass(String[] cursor, SyncMode mode) {
    return pass(cursor, mode, 10);
  }

  /** A pass whose probe sees the {@code probeSize} most recently updated. */
  private List<Long> pass(String[] cursor, SyncMode mode, int probeSize) {
    List<Long> emitted = new ArrayList<>();
    Page<Long> page;
    do {
      page = UpdateTimeWalk.next(new StreamRequest(mode, Optional.ofNullable(cursor[0])),
          etag -> new UpdateTimeWalk.Newest(newestFirst().subList(0, Math.min(probeSize, pulls.size())),
              Optional.empty()),
          this::read, stamp -> stamp, items -> items.stream().map(UpdateTimeWalk.Stamp::id).toList());
      emitted.addAll(page.items());
      cursor[0] = page.cursor();
    } while (!page.last());
    return emitted;
  }

  @Test
  void aFullPassThenOnlyWhatChanged() {
    for (long id = 1; id <= 5; id++) {
      pulls.put(id, T0.plusSeconds(id));
    }
    String[] cursor = {null};
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), pass(cursor, SyncMode.INCREMENTAL));
    pulls.put(2L, T0.plusSeconds(100));
    assertEquals(List.of(2L), pass(cursor, SyncMode.INCREMENTAL));
    pagesRead = 0;
    assertEquals(List.of(), pass(cursor, SyncMode.INCREMENTAL));
    assertEquals(0, pagesRead, "nothing newer than the watermark and its ids: no page is read");
  }

  @Test
  void itemsTiedWithTheWatermarkAreEmittedOnceEach() {
    pulls.put(1L, T0);
    pulls.put(2L, T0.plusSeconds(10));
    pulls.put(3L, T0.plusSeconds(10));
    String[] cursor = {null};
    pass(cursor, SyncMode.INCREMENTAL);
    // a third pull request updated in the same second as the two newest, after the last pass
    pulls.put(4L, T0.plusSeconds(10));
    assertEquals(List.of(4L), pass(cursor, SyncMode.INCREMENTAL));
    pulls.put(1L, T0.plusSeconds(20));
    assertEquals(List.of(1L), pass(cursor, SyncMode.INCREMENTAL), "the three tied ones are not emitted again");
  }

  @Test
  void aProbePageOfNothingButTiesIsNotTakenForUnchanged() {
    pulls.put(1L, T0);
    pulls.put(2L, T0.plusSeconds(10));
    pulls.put(3L, T0.plusSeconds(10));
    String[] cursor = {null};
    pass(cursor, SyncMode.INCREMENTAL, 2);
    pulls.put(4L, T0.plusSeconds(10));
    // the probe sees 2 and 3 only, as before; it cannot tell that nothing changed, so the walk looks
    assertTrue(pass(cursor, SyncMode.INCREMENTAL, 2).contains(4L));
  }

  @Test
  void aFullSyncWalksEverythingWhateverTheWatermark() {
    for (long id = 1; id <= 3; id++) {
      pulls.put(id, T0.plusSeconds(id));
    }
    String[] cursor = {null};
    pass(cursor, SyncMode.INCREMENTAL);
    assertEquals(List.of(1L, 2L, 3L), pass(cursor, SyncMode.FULL));
  }

  @Test
  void cursorsWrittenBeforeTheWalkWasSharedStillResume() {
    pulls.put(7L, T0.plusSeconds(5));
    pulls.put(8L, T0.plusSeconds(9));
    // GitHub's own pull cursor named the ids "watermarkNumbers"
    String[] cursor = {"{\"phase\":\"done\",\"incremental\":false,\"watermark\":\"" + T0.plusSeconds(9)
        + "\",\"watermarkNumbers\":[8]}"};
    assertEquals(List.of(), pass(cursor, SyncMode.INCREMENTAL));
    pulls.put(9L, T0.plusSeconds(9));
    assertEquals(List.of(9L), pass(cursor, SyncMode.INCREMENTAL));
    assertTrue(cursor[0].contains("\"watermarkIds\":[8,9]"), cursor[0]);
  }
}
