package io.gitcollector.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash behaviour specific to files; the general contract is in FileStateStoreCompatibilityTest (testkit). */
class FileStateStoreTest {

  @Test
  void aCrashBetweenWriteAndRenameLeavesTheOldValueAndNoLitter(@TempDir Path dir) throws Exception {
    FileStateStore store = new FileStateStore(dir);
    store.put("k", "old");
    // what a crash after writing the temporary file but before the rename leaves behind
    Files.writeString(dir.resolve(".tmp-crashed"), "new but never renamed");
    FileStateStore restarted = new FileStateStore(dir);
    assertEquals(Optional.of("old"), restarted.get("k"));
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }

  @Test
  void putIfAbsentHasOneWinnerAcrossStoresSharingADirectory(@TempDir Path dir) throws Exception {
    // two stores on one directory stand for two processes: no lock in this JVM can make them agree
    List<FileStateStore> stores = List.of(new FileStateStore(dir), new FileStateStore(dir));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String key = "delivery/" + round;
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          FileStateStore store = stores.get(i % 2);
          String value = "writer-" + i;
          attempts.add(pool.submit(() -> store.putIfAbsent(key, value)));
        }
        int winners = 0;
        String winner = "";
        for (int i = 0; i < attempts.size(); i++) {
          if (attempts.get(i).get()) {
            winners++;
            winner = "writer-" + i;
          }
        }
        assertEquals(1, winners, key);
        assertEquals(Optional.of(winner), stores.get(0).get(key));
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary file is left");
    }
  }

  /** A clock the test moves by hand. */
  private static final class ManualClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-11-24T00:00:00Z");

    void advance(java.time.Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void expiringKeysSurviveARestartUntilTheyExpire(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock();
    try (FileStateStore store = new FileStateStore(dir, clock)) {
      assertTrue(store.putIfAbsent("delivery/github/a", "1", java.time.Duration.ofHours(1)));
      assertTrue(store.putIfAbsent("delivery/github/b", "2", java.time.Duration.ofHours(3)));
      assertTrue(store.putIfAbsent("delivery/github/c", "3", java.time.Duration.ofHours(3)));
      store.remove("delivery/github/c");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.filter(p -> p.toString().endsWith(".state")).count(), "no file per delivery");
    }
    try (FileStateStore restarted = new FileStateStore(dir, clock)) {
      assertFalse(restarted.putIfAbsent("delivery/github/a", "again", java.time.Duration.ofHours(1)));
      assertEquals(java.util.Map.of("delivery/github/a", "1", "delivery/github/b", "2"),
          restarted.scan("delivery/"));
      clock.advance(java.time.Duration.ofHours(2));
      assertEquals(Optional.empty(), restarted.get("delivery/github/a"));
      assertEquals(java.util.Map.of("delivery/github/b", "2"), restarted.scan("delivery/"));
      assertTrue(restarted.putIfAbsent("delivery/github/a", "after expiry", java.time.Duration.ofHours(1)));
    }
  }

  @Test
  void aRecordTornByACrashIsIgnoredAndTheNextAppendStartsOnItsOwnLine(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock();
    try (FileStateStore store = new FileStateStore(dir, clock)) {
      store.putIfAbsent("delivery/github/a", "1", java.time.Duration.ofHours(1));
    }
    Files.writeString(dir.resolve("expiring.journal"), "P ZGVsaXZlcnkvZ2l0aHViL2I",
        java.nio.file.StandardOpenOption.APPEND);
    try (FileStateStore restarted = new FileStateStore(dir, clock)) {
      assertEquals(Optional.empty(), restarted.get("delivery/github/b"));
      assertTrue(restarted.putIfAbsent("delivery/github/b", "2", java.time.Duration.ofHours(1)));
    }
    try (FileStateStore again = new FileStateStore(dir, clock)) {
      assertEquals(java.util.Map.of("delivery/github/a", "1", "delivery/github/b", "2"), again.scan("delivery/"));
    }
  }

  @Test
  void theJournalIsCompactedOnceExpiredKeysOutnumberLiveOnes(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock();
    Path journal = dir.resolve("expiring.journal");
    try (FileStateStore store = new FileStateStore(dir, clock)) {
      for (int i = 0; i < 12_000; i++) {
        store.putIfAbsent("delivery/old/" + i, "x", java.time.Duration.ofMinutes(1));
      }
      long before = Files.size(journal);
      clock.advance(java.time.Duration.ofMinutes(2));
      for (int i = 0; i < 2_000; i++) {
        store.putIfAbsent("delivery/new/" + i, "y", java.time.Duration.ofMinutes(1));
      }
      assertTrue(Files.size(journal) < before / 2, "journal of " + Files.size(journal) + " bytes was not compacted");
      assertEquals(2_000, store.scan("delivery/").size());
    }
    try (FileStateStore restarted = new FileStateStore(dir, clock)) {
      assertEquals(2_000, restarted.scan("delivery/new/").size());
      assertEquals(0, restarted.scan("delivery/old/").size());
    }
  }

  @Test
  void aSecondStoreOnTheDirectoryCannotWriteExpiringKeys(@TempDir Path dir) throws Exception {
    try (FileStateStore first = new FileStateStore(dir); FileStateStore second = new FileStateStore(dir)) {
      assertTrue(first.putIfAbsent("delivery/github/a", "1", java.time.Duration.ofHours(1)));
      io.gitcollector.core.model.StateStoreException refused = org.junit.jupiter.api.Assertions.assertThrows(
          io.gitcollector.core.model.StateStoreException.class,
          () -> second.putIfAbsent("delivery/github/b", "2", java.time.Duration.ofHours(1)));
      assertTrue(refused.getMessage().contains("only one store per directory"), refused.getMessage());
      assertEquals(Optional.empty(), second.get("delivery/github/b"), "a refused key is not kept in memory");
    }
  }

  @Test
  void keysOfAnyLengthAreKeptFoundByScanAndTheirFileIsNamedInErrors(@TempDir Path dir) throws Exception {
    FileStateStore store = new FileStateStore(dir);
    String longKey = "status/github:github.com/" + "o".repeat(100) + "/" + "r".repeat(400);
    String otherLongKey = longKey + "-2";
    store.put(longKey, "{\"state\":\"COMPLETED\"}");
    assertTrue(store.putIfAbsent(otherLongKey, "second"));
    assertFalse(store.putIfAbsent(otherLongKey, "third"));
    assertEquals(java.util.Optional.of("{\"state\":\"COMPLETED\"}"), store.get(longKey));
    assertEquals(java.util.Optional.of("second"), store.get(otherLongKey));
    assertEquals(java.util.Set.of(longKey, otherLongKey), store.scan("status/").keySet());
    try (var files = Files.list(dir)) {
      assertTrue(files.allMatch(f -> f.getFileName().toString().length() < 100), "no file name is long");
    }
    assertTrue(store.locationOf(longKey).startsWith(dir.toString()), store.locationOf(longKey));
    store.remove(longKey);
    assertEquals(java.util.Optional.empty(), store.get(longKey));
    assertEquals(java.util.Set.of(otherLongKey), store.scan("status/").keySet());
  }
}
