package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the process may not write (a container volume owned by another user, say) stops the command at
 * start-up with one line saying "permission denied" and the state store's exit code, before any request is made.
 * As root, the child runs without the capabilities that let root write anywhere, so the directory's mode applies to
 * it as it would to the container's user.
 */
class DataDirectoryPermissionIT {
  @TempDir Path work;

  @Test
  void aDataDirectoryThatCannotBeWrittenSaysPermissionDeniedAtStartUp() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    // the JSON-lines sink writes the data directory itself: the sink's exit code
    assertRefused(data, data, 11);
  }

  @Test
  void aStateDirectoryThatCannotBeWrittenSaysPermissionDeniedAtStartUp() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    assertRefused(data, Files.createDirectories(data.resolve("state")), 12);
  }

  private void assertRefused(Path data, Path locked, int expectedExit) throws Exception {
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> launcher = root
        ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--")
        : List.of();
    try {
      ChildJvm collect = ChildJvm.startUnder(launcher, work.resolve("run"), Map.of("COLLECTOR_DATA_DIR",
          data.toString(), "GITHUB_API_URL", "http://127.0.0.1:9"), List.of(), "collect",
          "https://github.com/acme/never-asked");
      int exit = collect.await();
      String stderr = collect.stderr();
      assertEquals(expectedExit, exit, stderr);
      List<String> lines = stderr.lines().filter(line -> !line.isBlank()).toList();
      assertEquals(1, lines.size(), "one line: " + stderr);
      assertTrue(lines.get(0).startsWith("error: cannot "), stderr);
      assertTrue(lines.get(0).contains(locked + ": it cannot be written: permission denied"), stderr);
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
