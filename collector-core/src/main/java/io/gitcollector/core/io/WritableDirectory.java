package io.gitcollector.core.io;

import io.gitcollector.core.spi.Health;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory the embedded defaults write to: made and proven writable when they open (so that a directory the
 * process may not write fails at start-up, saying so, instead of at the first page), and probed for health.
 */
public final class WritableDirectory {
  private WritableDirectory() {}

  /**
   * Creates {@code directory} with its parents where missing and proves it can be written, the way health does.
   *
   * @throws IOException whose message (for the caller to put after the directory's name) says "permission denied"
   *     and which user the process runs as when the system refused
   */
  public static void prepare(Path directory) throws IOException {
    try {
      Files.createDirectories(directory);
      writeProbe(directory);
    } catch (AccessDeniedException e) {
      throw new IOException("it cannot be written: permission denied (the collector runs as user '"
          + System.getProperty("user.name") + "'; make the directory, or the volume mounted there, writable by it)",
          e);
    } catch (FileSystemException e) {
      throw new IOException("it cannot be written: " + (e.getReason() == null ? e.getMessage() : e.getReason()), e);
    }
  }

  /**
   * Creates and deletes an empty file (no sync: it checks permissions, a missing or read-only directory, and a
   * file system out of inodes, cheaply enough to run on every health request).
   */
  public static Health probe(Path directory, String what) {
    try {
      writeProbe(directory);
      return Health.up(what + " " + directory + " is writable");
    } catch (IOException | SecurityException e) {
      return Health.down(what + " " + directory + " is not writable: " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
  }

  private static void writeProbe(Path directory) throws IOException {
    Path probe = directory.resolve(".health-probe-" + ProcessHandle.current().pid() + "-" + Thread.currentThread()
        .getId());
    Files.deleteIfExists(probe);
    Files.createFile(probe);
    Files.delete(probe);
  }
}
