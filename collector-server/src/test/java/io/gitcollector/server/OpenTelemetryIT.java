package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing as the README documents it: {@code collect} under the OpenTelemetry Java agent, with no code of ours,
 * gives a span per collection ({@code OTEL_INSTRUMENTATION_METHODS_INCLUDE} on {@code GitCollector[sync]}) and a
 * client span per request to the platform in the same trace, on every stream's thread; the token is in none.
 */
class OpenTelemetryIT {
  private static final String TOKEN = "ghp_tracedToken";
  /** {@code 'GET' : <trace id> <span id> CLIENT}, as the agent's console exporter prints a span. */
  private static final Pattern SPAN = Pattern.compile("'([^']+)' : ([0-9a-f]{32}) ([0-9a-f]{16}) (CLIENT|INTERNAL)");

  @Test
  void theJavaAgentTracesACollectionAndEachOfItsRequests(@TempDir Path work) throws Exception {
    String agent = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.contains("opentelemetry-javaagent")).findFirst()
        .orElseThrow(() -> new AssertionError("the agent jar is a test dependency of this module"));
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/traced", RepositorySpec.of(300, 20, 1));
      ChildJvm collect = ChildJvm.start(work, Map.of("GITHUB_API_URL", simulator.apiBaseUrl(), "GITHUB_TOKEN", TOKEN,
          "OTEL_SERVICE_NAME", "git-collector", "OTEL_TRACES_EXPORTER", "console", "OTEL_METRICS_EXPORTER", "none",
          "OTEL_LOGS_EXPORTER", "none",
          "OTEL_INSTRUMENTATION_METHODS_INCLUDE", "io.gitcollector.core.engine.GitCollector[sync]"),
          List.of("-javaagent:" + agent), "collect", "https://github.com/acme/traced", "--data-dir",
          work.resolve("data").toString());
      assertEquals(0, collect.await(), collect::stderr);
      String output = collect.stderr() + collect.stdout();
      Matcher spans = SPAN.matcher(output);
      Map<String, Set<String>> tracesByName = new java.util.HashMap<>();
      while (spans.find()) {
        tracesByName.computeIfAbsent(spans.group(1) + " " + spans.group(4), k -> new java.util.HashSet<>())
            .add(spans.group(2));
      }
      Set<String> collections = tracesByName.getOrDefault("GitCollector.sync INTERNAL", Set.of());
      assertEquals(1, collections.size(), "one trace for the collection: " + tracesByName.keySet());
      Set<String> requestTraces = tracesByName.entrySet().stream().filter(e -> e.getKey().endsWith(" CLIENT"))
          .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet());
      assertEquals(collections, requestTraces, "every request to GitHub is a span of the collection's trace");
      assertTrue(tracesByName.containsKey("GET CLIENT") && tracesByName.containsKey("POST CLIENT"),
          "REST and GraphQL requests: " + tracesByName.keySet());
      assertFalse(output.contains(TOKEN), "the token is in no span");
    }
  }
}
