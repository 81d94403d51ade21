package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules under {@code deploy/prometheus} as Prometheus reads them: {@code promtool check rules}, and
 * {@code promtool test rules} with the cases beside them (each alert fires when it should, with its labels and
 * annotations, and stays quiet otherwise). promtool comes with Debian's {@code prometheus} package, which
 * {@code .ci/run} installs where it is missing.
 */
class AlertRulesIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path RULES = Path.of("..", "deploy", "prometheus");

  @Test
  void promtoolAcceptsTheRulesAndTheirCasesPass() throws Exception {
    assertTrue(Files.isExecutable(PROMTOOL), "the alert rules test needs promtool: apt-get install -y prometheus"
        + " (.ci/run installs it)");
    String checked = promtool(List.of("check", "rules", "git-collector-alerts.yml"));
    assertTrue(checked.contains("SUCCESS: 8 rules found"), checked);
    String tested = promtool(List.of("test", "rules", "git-collector-alerts.test.yml"));
    assertTrue(tested.contains("SUCCESS"), tested);
  }

  private static String promtool(List<String> arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(1, TimeUnit.MINUTES), "promtool finished");
    assertEquals(0, process.exitValue(), String.join(" ", arguments) + ":\n" + output);
    return output;
  }
}
