package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes {@code redocly lint} with the recommended rules ({@code redocly.yaml}: every operation
 * has an operationId, security declared, public ones with {@code security: []}, a 4xx answer, the webhook headers
 * documented). The CLI comes from npm into {@code .ci/tools}, which {@code .ci/run} fills where it is missing.
 */
class OpenApiLintIT {
  static final String REDOCLY_VERSION = "2.77.0";
  private static final Path REDOCLY = Path.of("..", ".ci", "tools", "node_modules", ".bin", "redocly");

  @Test
  void theOpenApiDocumentPassesRedoclyLintWithTheRecommendedRules() throws Exception {
    assertTrue(Files.isExecutable(REDOCLY), "the lint needs @redocly/cli: npm install --prefix .ci/tools"
        + " @redocly/cli@" + REDOCLY_VERSION + " (.ci/run installs it)");
    ProcessBuilder lint = new ProcessBuilder(REDOCLY.toString(), "lint", "--config", "redocly.yaml", "--format=json",
        "src/main/resources/openapi.json");
    // no telemetry, no update check: the machines that run the tests reach no such service
    lint.environment().put("REDOCLY_TELEMETRY", "off");
    lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Path errors = Files.createTempFile("redocly", ".err");
    lint.redirectError(errors.toFile());
    Process process = lint.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "redocly lint finished");
    String stderr = Files.readString(errors);
    JsonNode report = new ObjectMapper().readTree(output.substring(Math.max(0, output.indexOf('{'))));
    List<String> problems = new ArrayList<>();
    report.path("problems").forEach(problem -> problems.add(problem.path("severity").asText() + " "
        + problem.path("ruleId").asText() + ": " + problem.path("message").asText() + " at "
        + problem.path("location").path(0).path("pointer").asText()));
    assertEquals(List.of(), problems, "redocly lint: " + stderr);
    assertEquals(0, process.exitValue(), stderr);
  }
}
