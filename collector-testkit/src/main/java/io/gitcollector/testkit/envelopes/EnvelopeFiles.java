package io.gitcollector.testkit.envelopes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the JSON-lines sink wrote. A last line without its newline is a write the sink never acknowledged (the
 * process died mid-write), so it is skipped, as any reader of these files should.
 */
public final class EnvelopeFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EnvelopeFiles() {}

  public static List<JsonNode> read(Path dataDirectory, String topic) {
    Path file = dataDirectory.resolve(topic + ".jsonl");
    List<JsonNode> envelopes = new ArrayList<>();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return envelopes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(
        new String(bytes, 0, end, StandardCharsets.UTF_8)))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          envelopes.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return envelopes;
  }

  /** Every envelope of every default topic. */
  public static List<JsonNode> readAll(Path dataDirectory) {
    List<JsonNode> all = new ArrayList<>();
    for (String topic : List.of("git.repositories", "git.commits", "git.pull_requests")) {
      all.addAll(read(dataDirectory, topic));
    }
    return all;
  }

  /** Counts lines already in a topic file, for progress checks from another process. */
  public static long countLines(Path dataDirectory, String topic) {
    Path file = dataDirectory.resolve(topic + ".jsonl");
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }
}
