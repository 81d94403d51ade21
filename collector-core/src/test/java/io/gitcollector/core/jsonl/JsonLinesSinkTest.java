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
}
