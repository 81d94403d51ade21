package io.gitcollector.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
}
