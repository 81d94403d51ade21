package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several tokens ({@code GITHUB_TOKENS}): budgets of their own, repositories pinned, a refused token left out. */
class GitHubTokenPoolIT {
  private static final String FIRST = "ghp_firstPooledToken000000000000000001";
  private static final String SECOND = "ghp_secondPooledToken00000000000000002";
  /** Metadata and contributors: two REST points a repository, nothing else. */
  private static final Optional<Set<EntityKind>> REST_ONLY =
      Optional.of(Set.of(EntityKind.REPOSITORY, EntityKind.CONTRIBUTOR));

  private static GitCollector collector(GitHubSimulator simulator, Path data) {
    return GitCollector.builder()
        .platform("github", PlatformConfig.builder().token(Secret.of(FIRST)).setting("tokens", SECOND)
            .apiBaseUrl(simulator.apiBaseUrl()).build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  private static List<String> repositories(GitHubSimulator simulator, String owner, int count) {
    return IntStream.range(0, count).mapToObj(i -> {
      String name = String.format(Locale.ROOT, "%s/repo-%03d", owner, i);
      simulator.addRepository(name, RepositorySpec.of(1, 0, 0).withContributors(3));
      return "https://github.com/" + name;
    }).toList();
  }

  @Test
  void twoTokensSpendTheirOwnBudgetsEvenlyAndTheSyncOutlastsAReset(@TempDir Path data) {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(FIRST).coreRateLimit(70, Duration.ofSeconds(3))
        .start()) {
      simulator.addToken(SECOND);
      List<String> urls = repositories(simulator, "pool", 100);
      try (GitCollector collector = collector(simulator, data)) {
        for (String url : urls) {
          collector.sync(collector.target(url), SyncMode.FULL, REST_ONLY);
        }
      }
      long first = simulator.primaryPointsSpentBy(FIRST);
      long second = simulator.primaryPointsSpentBy(SECOND);
      // 200 points: more than both budgets (140) hold in one window, so the sync outlasted a reset
      assertEquals(200, first + second);
      assertTrue(first >= 70 && second >= 70, "each token carried its share: " + first + " / " + second);
      assertEquals(0, simulator.stats().rateLimitViolations(), "no budget was overrun");
    }
  }

  @Test
  void aRefusedTokenLeavesThePoolAndItsRepositoriesPayOnceWithTheOther(@TempDir Path data) {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(FIRST).start()) {
      simulator.addToken(SECOND);
      List<String> urls = repositories(simulator, "revoke", 30);
      try (GitCollector collector = collector(simulator, data)) {
        urls.forEach(url -> collector.sync(collector.target(url), SyncMode.FULL, REST_ONLY));
        long pinnedToSecond = simulator.primaryPointsSpentBy(SECOND) / 2;
        assertTrue(pinnedToSecond > 0 && pinnedToSecond < 30, "both tokens have repositories: " + pinnedToSecond);

        simulator.resetStats();
        urls.forEach(url -> collector.sync(collector.target(url), SyncMode.INCREMENTAL, REST_ONLY));
        assertEquals(0, simulator.stats().primaryPointsSpent(), "an idle pass is free: every ETag answers 304");

        simulator.revokeToken(SECOND);
        simulator.resetStats();
        urls.forEach(url -> collector.sync(collector.target(url), SyncMode.INCREMENTAL, REST_ONLY));
        // the second token's repositories moved to the first, whose requests their ETags do not match: once
        assertEquals(2 * pinnedToSecond, simulator.primaryPointsSpentBy(FIRST));
        assertEquals(1.0, collector.meterRegistry().get("git_collector_tokens_refused").gauge().value());

        simulator.resetStats();
        urls.forEach(url -> collector.sync(collector.target(url), SyncMode.INCREMENTAL, REST_ONLY));
        assertEquals(0, simulator.stats().primaryPointsSpent(), "then 304 again");
      }
    }
  }
}
