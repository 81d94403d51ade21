package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.github.SimulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A public repository collected without a token, as a new user's first try does: GitHub's GraphQL API refuses
 * anonymous callers, so the adapter reads commits and pull requests through REST alone, within the anonymous budget
 * (paced, never overrun), and delivers exactly what a token would have (the same envelopes, the same event ids).
 */
class GitHubAnonymousIT {
  private static final String TOKEN = "ghp_anonymousComparisonToken";

  private static Map<String, JsonNode> byEventId(Path data, String topic) {
    Map<String, JsonNode> envelopes = new TreeMap<>();
    for (JsonNode envelope : EnvelopeFiles.read(data, topic)) {
      envelopes.put(envelope.path("event_id").asText(), envelope.path("data"));
    }
    return envelopes;
  }

  @Test
  void aPublicRepositoryIsCollectedThroughRestAloneAsATokenWouldHaveIt(@TempDir Path work) throws Exception {
    // 60 requests a window, as GitHub's anonymous budget, with a window of 2 s instead of an hour
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN)
        .anonymousRateLimit(60, Duration.ofSeconds(2)).start()) {
      SimulatedRepository repository = simulator.addRepository("acme/public", RepositorySpec.of(120, 15, 2));
      String url = "https://github.com/acme/public";
      Path anonymous = work.resolve("anonymous");
      try (GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().apiBaseUrl(simulator.apiBaseUrl()).build())
          .dataDirectory(anonymous).build()) {
        collector.sync(url, SyncMode.FULL);
        SimulatorStats stats = simulator.stats();
        assertEquals(0, stats.graphqlPointsSpent(), "no GraphQL without a token");
        assertEquals(0, stats.rateLimitViolations(), () -> "the anonymous budget was overrun: " + stats);
        assertTrue(stats.requests() > 120, "one request per commit at least: " + stats.requests());
        System.out.printf("anonymous collection: %d requests for %d commits and %d pull requests%n",
            stats.requests(), repository.commitCount(), repository.pullRequestVersions().size());

        // later changes arrive incrementally, still without GraphQL
        repository.addCommits(7);
        repository.updatePullRequests(3, 9);
        collector.sync(url, SyncMode.INCREMENTAL);
        assertEquals(0, simulator.stats().graphqlPointsSpent());
      }
      Path withToken = work.resolve("token");
      try (GitCollector collector = GitCollector.builder()
          .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
              .build())
          .dataDirectory(withToken).build()) {
        collector.sync(url, SyncMode.FULL);
      }
      Map<String, JsonNode> anonymousCommits = byEventId(anonymous, "git.commits");
      Map<String, JsonNode> tokenCommits = byEventId(withToken, "git.commits");
      assertEquals(repository.commitCount(), anonymousCommits.size());
      assertEquals(tokenCommits, anonymousCommits, "the same commits, statistics and all");
      Map<String, JsonNode> tokenPulls = byEventId(withToken, "git.pull_requests");
      Map<String, JsonNode> anonymousPulls = byEventId(anonymous, "git.pull_requests");
      // the token run saw only the latest versions; the anonymous one saw those too (and earlier ones)
      for (Map.Entry<String, JsonNode> pull : tokenPulls.entrySet()) {
        assertEquals(pull.getValue(), anonymousPulls.get(pull.getKey()), "pull request " + pull.getValue()
            .path("number"));
      }
      for (JsonNode envelope : EnvelopeFiles.read(anonymous, "git.pull_requests")) {
        assertEquals(java.util.List.of(), EnvelopeSchemas.violations(envelope));
      }
    }
  }
}
