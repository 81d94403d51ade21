package io.gitcollector.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Rows of the README's reliability table, each written by the test that tried it: what was broken, how many cases,
 * how many held, and the figures measured. Rows of one build go to one directory (system properties
 * {@code gitcollector.reliability.dir} and {@code gitcollector.build}, set by the parent POM for every module), where
 * the table test reads them back.
 */
public final class ReliabilityLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReliabilityLog() {}

  /**
   * One row.
   *
   * @param id sorts the table: {@code <section>-<n>-<name>}
   * @param tried what was broken, and how
   * @param cases how many times
   * @param held how many of them ended as promised (nothing lost, the documented exit code)
   * @param figures what was measured, in words
   */
  public record Row(String id, String tried, int cases, int held, String figures) {
    public Row {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(tried, "tried");
      Objects.requireNonNull(figures, "figures");
      if (!id.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException("row ids are lower-case words joined by '-': " + id);
      }
      if (cases < 1 || held < 0 || held > cases) {
        throw new IllegalArgumentException("held " + held + " of " + cases + " cases");
      }
    }
  }

  public static Path directory() {
    return Path.of(System.getProperty("gitcollector.reliability.dir", "target/reliability"));
  }

  public static String build() {
    return System.getProperty("gitcollector.build", "unknown");
  }

  /** Writes a row of this build, replacing an earlier one with the same id. */
  public static void record(Row row) {
    ObjectNode node = JSON.createObjectNode();
    node.put("build", build());
    node.put("id", row.id());
    node.put("tried", row.tried());
    node.put("cases", row.cases());
    node.put("held", row.held());
    node.put("figures", row.figures());
    try {
      Files.createDirectories(directory());
      Path temporary = Files.createTempFile(directory(), row.id(), ".tmp");
      Files.writeString(temporary, node.toString(), StandardCharsets.UTF_8);
      Files.move(temporary, directory().resolve(row.id() + ".json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record reliability row " + row.id(), e);
    }
    System.out.printf("reliability: %s: %d/%d held; %s%n", row.id(), row.held(), row.cases(), row.figures());
  }

  /** The rows this build recorded, by id. */
  public static List<Row> read() {
    List<Row> rows = new ArrayList<>();
    if (!Files.isDirectory(directory())) {
      return rows;
    }
    try (Stream<Path> files = Files.list(directory())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        JsonNode node = JSON.readTree(file.toFile());
        if (node.path("build").asText().equals(build())) {
          rows.add(new Row(node.path("id").asText(), node.path("tried").asText(), node.path("cases").asInt(),
              node.path("held").asInt(), node.path("figures").asText()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read reliability rows from " + directory(), e);
    }
    rows.sort(Comparator.comparing(Row::id));
    return rows;
  }
}
