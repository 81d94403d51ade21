package io.gitcollector.server.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.StreamKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's progress: a bar redrawn in place on a terminal, plain lines elsewhere. */
class ProgressPrinterTest {
  private static final String REPOSITORY = "github:github.com/acme/progress";

  @Test
  void onATerminalALineIsRedrawnWithABarPercentageAndEtaWhenThePassSizeIsKnown() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressPrinter progress = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    progress.pageDelivered(REPOSITORY, StreamKind.COMMITS, 100, 100);
    progress.streamRemaining(REPOSITORY, StreamKind.COMMITS, 300);
    progress.pageDelivered(REPOSITORY, StreamKind.PULL_REQUESTS, 50, 50);
    String line = progress.terminalLine();
    assertTrue(line.matches("\\[#{6}-{18}\\]  25\\.0% ETA \\d+s \\| commits 100 pull_requests 50 \\| [\\d,]+/s \\| \\d+s"),
        line);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("\r\033[2K"), "redrawn in place: " + printed);
    assertFalse(printed.contains("\n"), "no new line while it runs: " + printed);
  }

  @Test
  void withoutAKnownSizeTheTerminalLineGivesCountsRateAndElapsedTime() {
    ProgressPrinter progress = new ProgressPrinter(new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), true);
    progress.pageDelivered(REPOSITORY, StreamKind.PULL_REQUESTS, 50, 50);
    String line = progress.terminalLine();
    assertTrue(line.matches("pull_requests 50 \\| [\\d,]+/s \\| \\d+s"), line);
  }

  @Test
  void elsewhereProgressIsPlainLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressPrinter progress = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    progress.pageDelivered(REPOSITORY, StreamKind.COMMITS, 100, 100);
    progress.streamRemaining(REPOSITORY, StreamKind.COMMITS, 300);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.matches("\\[ *[\\d.]+s\\] commits 100 \\(1 pages\\) \\| rate limit: not reported\\R"), printed);
    assertFalse(printed.contains("\r"), printed);
  }
}
