package io.gitcollector.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeSectionTest {
  private static final String README = "# Title\n\n## Performance\n\nProse stays.\n\n" + ReadmeSection.BEGIN
      + "\nold figures\n" + ReadmeSection.END + "\n\nMore prose.\n";

  @Test
  void replacesOnlyWhatIsBetweenTheMarkers() {
    String once = ReadmeSection.replace(README, "| a | b |\n|---|---|\n| 1 | 2 |\n");
    assertEquals("# Title\n\n## Performance\n\nProse stays.\n\n" + ReadmeSection.BEGIN + "\n| a | b |\n|---|---|\n"
        + "| 1 | 2 |\n" + ReadmeSection.END + "\n\nMore prose.\n", once);
    assertEquals(once, ReadmeSection.replace(once, "| a | b |\n|---|---|\n| 1 | 2 |"), "running twice changes nothing");
  }

  @Test
  void aReadmeWithoutMarkersIsRefusedWithWhatToAdd() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ReadmeSection.replace("# Title\n", "figures"));
    assertTrue(refused.getMessage().contains(ReadmeSection.BEGIN), refused.getMessage());
  }

  @Test
  void markersOutOfOrderOrTwiceAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> ReadmeSection.replace(ReadmeSection.END + "\n" + ReadmeSection.BEGIN + "\n", "x"));
    assertThrows(IllegalArgumentException.class,
        () -> ReadmeSection.replace(README + README, "x"));
  }

  @Test
  void aScenarioReportStartsAtItsHeadingAndAFailureSaysSo() {
    BenchmarkSuite.Scenario scenario = new BenchmarkSuite.Scenario("io.gitcollector.benchmarks.X", List.of("1"));
    assertEquals("### Heading\n\n| a |\n", BenchmarkSuite.report(scenario,
        List.of("log noise", "### Heading", "", "| a |", ""), 0));
    String failed = BenchmarkSuite.report(scenario, List.of("### Heading", "| a |"), 1);
    assertTrue(failed.startsWith("### X 1\n\nFailed (exit code 1)"), failed);
    assertTrue(BenchmarkSuite.report(scenario, List.of("no heading"), 0).contains("no report printed"));
  }
}
