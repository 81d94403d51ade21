package io.gitcollector.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command line in a separate JVM, as a user would, with its output in files. */
final class ChildJvm {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static ChildJvm start(Path workDir, Map<String, String> environment, List<String> jvmOptions, String... args)
      throws IOException {
    return startUnder(List.of(), workDir, environment, jvmOptions, args);
  }

  /** The same, started through {@code launcher} (a command that runs the rest, such as {@code setpriv …}). */
  static ChildJvm startUnder(List<String> launcher, Path workDir, Map<String, String> environment,
      List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("COLLECTOR_")
        || k.equals("LOG_LEVEL"));
    builder.environment().putAll(environment);
    return new ChildJvm(builder.start(), out, err);
  }

  /** Runs to completion (at most two minutes) and returns the exit code. */
  int await() throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the command did not finish in two minutes; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** SIGTERM: the JVM runs its shutdown hooks. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook, no flush, no chance to save anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String classPathSeparator() {
    return File.pathSeparator;
  }
}
