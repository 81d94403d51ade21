package io.gitcollector.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

  @Test
  void valuesSurviveAReopen(@TempDir Path dir) {
    new FileStateStore(dir).put("cursor/github:github.com/o/r/commits", "{\"a\":1}");
    FileStateStore reopened = new FileStateStore(dir);
    assertEquals(Optional.of("{\"a\":1}"), reopened.get("cursor/github:github.com/o/r/commits"));
    assertEquals(Optional.empty(), reopened.get("cursor/other"));
  }

  @Test
  void scanFindsKeysByPrefixAndRemoveForgets(@TempDir Path dir) {
    FileStateStore store = new FileStateStore(dir);
    store.put("status/a", "1");
    store.put("status/b", "2");
    store.put("cursor/a", "3");
    assertEquals(Map.of("status/a", "1", "status/b", "2"), store.scan("status/"));
    store.remove("status/a");
    assertEquals(Map.of("status/b", "2"), store.scan("status/"));
  }

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
  void concurrentWritersNeverTearAValue(@TempDir Path dir) throws Exception {
    FileStateStore store = new FileStateStore(dir);
    String a = "a".repeat(10_000);
    String b = "b".repeat(10_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String value = i % 2 == 0 ? a : b;
      futures.add(pool.submit(() -> store.put("shared", value)));
      futures.add(pool.submit(() -> {
        String read = store.get("shared").orElse(a);
        assertTrue(read.equals(a) || read.equals(b), "torn read");
      }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
  }
}
