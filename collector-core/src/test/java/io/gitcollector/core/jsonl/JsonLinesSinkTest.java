package io.gitcollector.core.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.GitIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

  static Envelope commit(String sha) {
    GitIdentity who = new GitIdentity("Mona", "mona@example.com", Instant.parse("2024-01-01T00:00:00Z"),
        Optional.of("mona"));
    return Envelope.of("github", "github:github.com/o/r",
        new Commit(sha, List.of(), who, who, "msg\nwith a newline", 1, 2, 3, List.of(), "https://x"));
  }

  @Test
  void aPublishedBatchIsOnDiskOneEnvelopePerLineWhenTheFutureCompletes(@TempDir Path dir) throws Exception {
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      sink.publish(List.of(commit("a1"), commit("b2"))).get();
      sink.publish(List.of(commit("c3"))).get();
      List<String> lines = Files.readAllLines(sink.fileOf("git.commits"), StandardCharsets.UTF_8);
      assertEquals(3, lines.size());
      Envelope read = EnvelopeCodec.fromJson(lines.get(0).getBytes(StandardCharsets.UTF_8));
      assertEquals(commit("a1"), read);
      assertTrue(lines.get(0).contains("\"event_type\":\"commit_created\""));
      assertTrue(lines.get(0).contains("\"repository_id\":\"github:github.com/o/r\""));
    }
  }

  @Test
  void aFragmentLeftByACrashMidWriteIsCutBeforeTheNextAppend(@TempDir Path dir) throws Exception {
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      sink.publish(List.of(commit("a1"))).get();
    }
    Path file = dir.resolve("git.commits.jsonl");
    Files.writeString(file, "{\"event_id\":\"half-writ", java.nio.file.StandardOpenOption.APPEND);
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      sink.publish(List.of(commit("b2"))).get();
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    assertEquals(commit("b2"), EnvelopeCodec.fromJson(lines.get(1).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void reopeningAppends(@TempDir Path dir) throws Exception {
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      sink.publish(List.of(commit("a1"))).get();
    }
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      sink.publish(List.of(commit("b2"))).get();
      assertEquals(2, Files.readAllLines(sink.fileOf("git.commits")).size());
    }
  }

  @Test
  void concurrentPublishersEachGetTheirBatchWholeAndAcknowledgedOnlyOnceOnDisk(@TempDir Path dir) throws Exception {
    int threads = 8;
    int batchesEach = 150;
    try (JsonLinesSink sink = new JsonLinesSink(dir)) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int b = 0; b < batchesEach; b++) {
            String prefix = thread + "-" + b + "-";
            sink.publish(List.of(commit(prefix + "x"), commit(prefix + "y"))).join();
            if (b % 15 == 0) {
              // acknowledged means readable from the file by anyone, now
              assertTrue(Files.readString(sink.fileOf("git.commits")).contains("\"sha\":\"" + prefix + "y\""));
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> future : done) {
        future.get();
      }
      pool.shutdown();
      List<String> shas = readShas(sink.fileOf("git.commits"));
      assertEquals(threads * batchesEach * 2, shas.size());
      for (int i = 0; i < shas.size(); i += 2) {
        String x = shas.get(i);
        assertTrue(x.endsWith("-x"), x);
        assertEquals(x.substring(0, x.length() - 1) + "y", shas.get(i + 1), "a batch's lines stay together");
      }
    }
  }

  private static List<String> readShas(Path file) throws java.io.IOException {
    // a reader of a file being written sees complete lines only up to the last newline
    String content = Files.readString(file, StandardCharsets.UTF_8);
    List<String> shas = new java.util.ArrayList<>();
    for (String line : content.substring(0, content.lastIndexOf('\n') + 1).split("\n")) {
      Envelope envelope = EnvelopeCodec.fromJson(line.getBytes(StandardCharsets.UTF_8));
      shas.add(((Commit) envelope.data()).sha());
    }
    return shas;
  }

  @Test
  void publishingAfterCloseReopensTheFiles(@TempDir Path dir) throws Exception {
    JsonLinesSink sink = new JsonLinesSink(dir);
    sink.publish(List.of(commit("a1"))).get();
    sink.close();
    // a closed sink reopens its files on the next publish rather than writing to a closed channel
    sink.publish(List.of(commit("b2"))).get();
    assertEquals(2, Files.readAllLines(sink.fileOf("git.commits")).size());
    sink.close();
  }

  @Test
  void healthIsDownWhileTheDataDirectoryCannotBeWrittenAndUpAgainAfter(@TempDir Path root) throws Exception {
    Path directory = root.resolve("data");
    try (JsonLinesSink sink = new JsonLinesSink(directory)) {
      assertEquals(io.gitcollector.core.spi.Health.Status.UP, sink.health().status(), sink.health().detail());
      // the volume behind it is gone (unmounted, deleted): a file now stands where the directory was
      Files.delete(directory);
      Files.writeString(directory, "not a directory");
      assertEquals(io.gitcollector.core.spi.Health.Status.DOWN, sink.health().status());
      assertTrue(sink.health().detail().contains(directory.toString()), sink.health().detail());
      Files.delete(directory);
      Files.createDirectories(directory);
      assertEquals(io.gitcollector.core.spi.Health.Status.UP, sink.health().status());
    }
  }

  @Test
  void stateStoreHealthFollowsItsDirectory(@TempDir Path root) throws Exception {
    Path directory = root.resolve("state");
    try (io.gitcollector.core.state.FileStateStore store = new io.gitcollector.core.state.FileStateStore(directory)) {
      assertEquals(io.gitcollector.core.spi.Health.Status.UP, store.health().status(), store.health().detail());
      try (var files = Files.list(directory)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(directory);
      Files.writeString(directory, "not a directory");
      assertEquals(io.gitcollector.core.spi.Health.Status.DOWN, store.health().status());
    }
  }
}
