package io.gitcollector.core.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CollectionPlannerTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final int STREAMS = 8;

  private static CollectionPlanner.Item item(String id, long sizeKb, Long measured, boolean collected) {
    return new CollectionPlanner.Item(id, sizeKb, Optional.ofNullable(measured), collected);
  }

  private static CollectionPlan plan(SyncMode mode, List<CollectionPlanner.Item> items,
      Function<String, String> tokenOf, Map<String, RateLimitGovernor.BudgetView> budgets) {
    return CollectionPlanner.plan("github:acme", mode, items, STREAMS, tokenOf,
        token -> Optional.ofNullable(budgets.get(token)), Duration.ofMillis(20), 4, NOW);
  }

  @Test
  void withNothingMeasuredARepositoryCostsAPagePerStreamAndARequestPerMegabyte() {
    CollectionPlan plan = plan(SyncMode.FULL, List.of(item("a", 0, null, false), item("b", 3000, null, false)),
        id -> "t1", Map.of());
    assertEquals(STREAMS + (STREAMS + 3), plan.requests());
    assertEquals(new CollectionPlan.Basis(0, 0, 2, 0), plan.basis());
    // 19 requests of 20 ms, 4 at a time; no budget known, so latency alone sets the time
    assertEquals(Duration.ofMillis(95), plan.wallTime());
    assertFalse(plan.rateLimited());
    assertEquals(Optional.empty(), plan.tokens().get(0).budget());
  }

  @Test
  void repositoriesNeverCollectedCostWhatTheMeasuredOnesCostPerKilobyte() {
    // measured: 108 requests for 1,000 KB, so 100 beyond the streams' first pages: 0.1 a KB
    CollectionPlan plan = plan(SyncMode.FULL, List.of(item("measured", 1000, 108L, true), item("new", 500, null,
        false)), id -> "t1", Map.of());
    assertEquals(108 + STREAMS + 50, plan.requests());
    assertEquals(new CollectionPlan.Basis(1, 1, 0, 0), plan.basis());
  }

  @Test
  void anIncrementalSyncOfACollectedRepositoryCostsOneRequestPerStream() {
    CollectionPlan plan = plan(SyncMode.INCREMENTAL, List.of(item("old", 1000, 108L, true), item("new", 0, null,
        false)), id -> "t1", Map.of());
    assertEquals(STREAMS + STREAMS, plan.requests());
    assertEquals(new CollectionPlan.Basis(0, 1, 0, 1), plan.basis());
  }

  @Test
  void aTokenWhoseShareExceedsItsBudgetWaitsForResetsAndSetsTheWallTime() {
    RateLimitGovernor.BudgetView spentSoon = new RateLimitGovernor.BudgetView(100, 10, NOW.plusSeconds(600),
        Optional.of(Duration.ofHours(1)));
    // 30 repositories of 9 requests each (270); t1 has 10 left, resetting in 10 minutes, then 100 an hour: 3 resets
    List<CollectionPlanner.Item> items = java.util.stream.IntStream.range(0, 30)
        .mapToObj(i -> item("r" + i, 1024, null, false)).toList();
    CollectionPlan one = plan(SyncMode.FULL, items, id -> "t1", Map.of("t1", spentSoon));
    CollectionPlan.TokenShare share = one.tokens().get(0);
    assertEquals(270, share.points());
    assertEquals(3, share.resets());
    assertEquals(Duration.ofMinutes(10).plusHours(2), share.time());
    assertTrue(one.rateLimited());
    assertEquals(share.time(), one.wallTime());

    // split over two tokens: t2 has announced nothing yet and is taken to have t1's limit, whole
    CollectionPlan two = plan(SyncMode.FULL, items, id -> Integer.parseInt(id.substring(1)) % 2 == 0 ? "t1" : "t2",
        Map.of("t1", spentSoon));
    assertEquals(2, two.tokens().size());
    assertEquals(List.of(135L, 135L), two.tokens().stream().map(CollectionPlan.TokenShare::points).toList());
    assertEquals(List.of(2L, 1L), two.tokens().stream().map(CollectionPlan.TokenShare::resets).toList());
    assertEquals(Duration.ofMinutes(10).plusHours(1), two.wallTime());
    assertEquals(Optional.empty(), two.tokens().get(1).budget(), "what t2 announced: nothing yet");
  }
}
