package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.github.Fault;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform misbehaves in every way we know of while the command line collects: each run either completes or
 * fails with the exit code the README documents for it, and the next run (incremental, from the saved cursors)
 * completes with everything: no fault ever makes a cursor pass data that did not reach the sink.
 */
class FaultToleranceIT {
  private static final String TOKEN = "ghp_faultToleranceToken";
  /** 0 done; 9 rate limit past the maximum wait; 10 kept failing after retries; 16 unreadable answers. */
  private static final Set<Integer> DOCUMENTED = Set.of(0, 9, 10, 16);

  private record Case(String name, Fault fault, int times) {}

  private static final List<Case> CASES = List.of(
      new Case("a burst of 500s", Fault.SERVER_ERROR, 4),
      new Case("502s from the GraphQL gateway", Fault.BAD_GATEWAY, 3),
      new Case("connections closed before any answer", Fault.CONNECTION_CLOSED, 3),
      new Case("bodies cut short of their Content-Length", Fault.TRUNCATED_BODY, 3),
      new Case("200s whose body is not JSON", Fault.MALFORMED_JSON, 2),
      new Case("answers slower than the 1 s read timeout", Fault.SLOW_RESPONSE, 2),
      new Case("a storm of 429s without Retry-After (maximum wait 5 s)", Fault.TOO_MANY_REQUESTS, 8),
      new Case("a secondary rate limit (403 with Retry-After)", Fault.SECONDARY_RATE_LIMIT, 1));

  private static Set<String> collected(Path data, String repositoryId) {
    Set<String> seen = new HashSet<>();
    for (JsonNode envelope : EnvelopeFiles.read(data, "git.commits")) {
      if (envelope.path("repository_id").asText().equals(repositoryId)) {
        seen.add("commit:" + envelope.path("data").path("sha").asText());
      }
    }
    for (JsonNode envelope : EnvelopeFiles.read(data, "git.pull_requests")) {
      if (envelope.path("repository_id").asText().equals(repositoryId)) {
        seen.add("pull:" + envelope.path("data").path("number").asLong());
      }
    }
    return seen;
  }

  @Test
  void everyFaultEndsInCompletionOrItsExitCodeAndTheNextRunCompletes(@TempDir Path work) throws Exception {
    List<String> outcomes = new ArrayList<>();
    int held = 0;
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      Map<String, String> env = new HashMap<>();
      env.put("GITHUB_API_URL", simulator.apiBaseUrl());
      env.put("GITHUB_TOKEN", TOKEN);
      env.put("GITHUB_READ_TIMEOUT_SECONDS", "1");
      // GitHub asks for a minute or more after a 429 without Retry-After: past 5 s the run stops with exit 9
      env.put("COLLECTOR_MAX_RATE_LIMIT_WAIT", "5");
      for (int i = 0; i < CASES.size(); i++) {
        Case tried = CASES.get(i);
        String name = "acme/faulty-" + i;
        SimulatedRepository repository = simulator.addRepository(name, RepositorySpec.of(1_500, 150, 1));
        Set<String> expected = new HashSet<>();
        repository.commitShas().forEach(sha -> expected.add("commit:" + sha));
        repository.pullRequestVersions().keySet().forEach(number -> expected.add("pull:" + number));
        Path data = work.resolve("data-" + i);
        String[] command = {"collect", "https://github.com/" + name, "--data-dir", data.toString()};

        simulator.injectFault(tried.fault(), "", tried.times());
        ChildJvm faulty = ChildJvm.start(work, env, List.of(), command);
        int first = faulty.await();
        // faults left over (a 429 storm outlasting the first run) meet the next run: run until done, at most 3 more
        ChildJvm again = ChildJvm.start(work, env, List.of(), command);
        int second = again.await();
        int runs = 2;
        while (second != 0 && DOCUMENTED.contains(second) && runs < 4) {
          again = ChildJvm.start(work, env, List.of(), command);
          second = again.await();
          runs++;
        }
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(collected(data, "github:github.com/" + name));
        boolean ok = DOCUMENTED.contains(first) && second == 0 && lost.isEmpty();
        held += ok ? 1 : 0;
        outcomes.add(tried.fault().name().toLowerCase(java.util.Locale.ROOT) + " exit " + first + (first == 0 ? ""
            : ", then 0 after " + (runs - 1)
            + " more run(s)"));
        assertTrue(DOCUMENTED.contains(first), tried.name() + " ended with exit " + first + ": " + faulty.stderr());
        String lastErrors = again.stderr();
        assertEquals(0, second, () -> tried.name() + ", last run: " + lastErrors);
        assertEquals(Set.of(), lost, tried.name() + ": lost");
      }
    }
    ReliabilityLog.record(new ReliabilityLog.Row("5-faults-github", "GitHub faults during a `collect`: "
        + String.join("; ", CASES.stream().map(Case::name).toList()) + "; then `collect` again",
        CASES.size(), held, String.join("; ", outcomes) + "; nothing lost"));
  }
}
