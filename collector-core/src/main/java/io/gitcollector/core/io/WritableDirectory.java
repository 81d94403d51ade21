package io.gitcollector.core.io;

import io.gitcollector.core.spi.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Health of a directory the embedded defaults write to: a probe file can be created and removed there now. */
public final class WritableDirectory {
  private WritableDirectory() {}

  /**
   * Creates and deletes an empty file (no sync: it checks permissions, a missing or read-only directory, and a
   * file system out of inodes, cheaply enough to run on every health request).
   */
  public static Health probe(Path directory, String what) {
    Path probe = directory.resolve(".health-probe-" + ProcessHandle.current().pid() + "-" + Thread.currentThread()
        .getId());
    try {
      Files.deleteIfExists(probe);
      Files.createFile(probe);
      Files.delete(probe);
      return Health.up(what + " " + directory + " is writable");
    } catch (IOException | SecurityException e) {
      return Health.down(what + " " + directory + " is not writable: " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
  }
}
