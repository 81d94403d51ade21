package io.gitcollector.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's reliability and security tables (rows whose id starts with {@code security-}) are what the tests of
 * this build tried: the same rows, cases and cases held, every
 * case held. The figures column is written from a run with {@code -Dreliability.write=true}; it is not compared (it
 * measures times and duplicates, which vary from run to run). This module builds after every module that records a
 * row, so {@code mvn -B verify} from the root checks the table on each run.
 */
class ReliabilityTableTest {
  static final String BEGIN = "<!-- reliability:begin (generated from the tests' rows: mvn -B verify"
      + " -Dreliability.write=true) -->";
  static final String END = "<!-- reliability:end -->";
  static final String SECURITY_BEGIN = "<!-- security:begin (generated from the tests' rows: mvn -B verify"
      + " -Dreliability.write=true) -->";
  static final String SECURITY_END = "<!-- security:end -->";
  private static final Path README = Path.of("..", "README.md");

  static String render(List<ReliabilityLog.Row> rows) {
    StringBuilder table = new StringBuilder("| what is tried | cases | held | measured in the run that wrote this table"
        + " |\n|---|---:|---:|---|\n");
    for (ReliabilityLog.Row row : rows) {
      table.append("| ").append(cell(row.tried())).append(" | ").append(row.cases()).append(" | ").append(row.held())
          .append(" | ").append(cell(row.figures())).append(" |\n");
    }
    return table.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** Rows as the table states them: what is tried, cases, held. */
  static List<String> claims(String table) {
    List<String> claims = new ArrayList<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| what is tried")) {
        continue;
      }
      String[] cells = line.substring(2).split(" \\| ");
      claims.add(cells[0] + " | " + cells[1] + " | " + cells[2]);
    }
    return claims;
  }

  @Test
  void theReadmeTableIsWhatThisBuildTriedAndEveryCaseHeld() throws Exception {
    List<ReliabilityLog.Row> rows = ReliabilityLog.read();
    assertFalse(rows.isEmpty(), "no reliability rows recorded by this build (" + ReliabilityLog.build() + ") in "
        + ReliabilityLog.directory() + ": run the whole reactor, mvn -B verify");
    for (ReliabilityLog.Row row : rows) {
      assertEquals(row.cases(), row.held(), row.id() + ": " + row.figures());
    }
    List<ReliabilityLog.Row> security = rows.stream().filter(row -> row.id().startsWith("security-")).toList();
    List<ReliabilityLog.Row> reliability = rows.stream().filter(row -> !row.id().startsWith("security-")).toList();
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("reliability.write")) {
      readme = ReadmeSection.replace(readme, "reliability", BEGIN, END, render(reliability));
      readme = ReadmeSection.replace(readme, "security", SECURITY_BEGIN, SECURITY_END, render(security));
      Files.writeString(README, readme, StandardCharsets.UTF_8);
    }
    assertEquals(claims(render(reliability)), claims(ReadmeSection.current(readme, "reliability", BEGIN, END)),
        "the README's reliability table and the rows this build recorded differ; write it again with"
            + " mvn -B verify -Dreliability.write=true");
    assertEquals(claims(render(security)), claims(ReadmeSection.current(readme, "security", SECURITY_BEGIN,
        SECURITY_END)), "the README's security table and the rows this build recorded differ; write it again with"
            + " mvn -B verify -Dreliability.write=true");
  }

  @Test
  void claimsIgnoreTheFiguresColumn() {
    String table = render(List.of(new ReliabilityLog.Row("1-a", "tried | piped", 3, 3, "took 5 ms")));
    assertEquals(List.of("tried \\| piped | 3 | 3"), claims(table));
    assertEquals(claims(table), claims(render(List.of(new ReliabilityLog.Row("1-a", "tried | piped", 3, 3,
        "took 7 ms")))));
  }
}
