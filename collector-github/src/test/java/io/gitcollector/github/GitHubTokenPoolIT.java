package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
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
      simulator.addOrganization("pool");
      List<String> urls = repositories(simulator, "pool", 100);
      CollectionPlan before;
      CollectionPlan after;
      try (GitCollector collector = collector(simulator, data)) {
        GitCollector.OrganizationTarget pool = collector.organization("https://github.com/pool");
        before = collector.plan(pool, collector.discover(pool, RepositoryFilter.all()), SyncMode.FULL, REST_ONLY);
        for (String url : urls) {
          collector.sync(collector.target(url), SyncMode.FULL, REST_ONLY);
        }
        after = collector.plan(pool, collector.discover(pool, RepositoryFilter.all()), SyncMode.FULL, REST_ONLY);
        assertEquals(Set.of(Secret.of(FIRST).fingerprint(), Secret.of(SECOND).fingerprint()),
            collector.meterRegistry().find("git_collector_rate_limit_remaining").gauges().stream()
                .map(gauge -> gauge.getId().getTag("token")).collect(java.util.stream.Collectors.toSet()),
            "each token's budget is a gauge of its own");
      }
      long first = simulator.primaryPointsSpentBy(FIRST);
      long second = simulator.primaryPointsSpentBy(SECOND);
      // before: nothing measured, two streams and a request per MB (100 KB) each; 300 points exceed both budgets
      assertEquals(new CollectionPlan.Basis(0, 0, 100, 0), before.basis());
      assertEquals(300, before.points());
      assertEquals(2, before.tokens().size(), "both tokens have a share");
      assertEquals(100, before.tokens().stream().mapToInt(CollectionPlan.TokenShare::repositories).sum());
      assertTrue(before.tokens().stream().allMatch(share -> share.resets() >= 1 && share.time().toMillis() > 0),
          "each share outlasts its budget: " + before);
      // after: each repository at what its sync cost, and each token's share what it spent (the listing aside)
      assertEquals(new CollectionPlan.Basis(100, 0, 0, 0), after.basis());
      assertEquals(200, after.points());
      for (CollectionPlan.TokenShare share : after.tokens()) {
        long spent = share.token().equals(Secret.of(FIRST).fingerprint()) ? first : second;
        assertTrue(spent - share.points() >= 0 && spent - share.points() <= 1, share + " spent " + spent);
      }
      // 200 points: more than both budgets (140) hold in one window, so the sync outlasted a reset (and the listing)
      assertEquals(201, first + second);
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
