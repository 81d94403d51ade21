package io.gitcollector.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
