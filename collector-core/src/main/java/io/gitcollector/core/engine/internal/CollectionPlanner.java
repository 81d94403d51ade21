package io.gitcollector.core.engine.internal;

import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Works out a {@link CollectionPlan}: the estimate of each repository, summed per token and weighed by budgets. */
public final class CollectionPlanner {
  /** While no repository was measured: each stream's first page, and one more request per MB of repository. */
  static final long DEFAULT_KB_PER_REQUEST = 1024;

  private CollectionPlanner() {}

  /**
   * A repository to plan.
   *
   * @param lastFullSyncRequests what its last full sync cost, if one completed
   * @param collectedBefore whether a sync of it completed (an incremental one asks only for what changed)
   */
  public record Item(String repositoryId, long sizeKb, Optional<Long> lastFullSyncRequests, boolean collectedBefore) {
    public Item {
      Objects.requireNonNull(repositoryId, "repositoryId");
      Objects.requireNonNull(lastFullSyncRequests, "lastFullSyncRequests");
    }
  }

  /**
   * @param streams the streams a sync of one repository runs (the kinds collected that the platform serves)
   * @param tokenOf the fingerprint of the token a repository is pinned to
   * @param budgetOf what is known of a token's budget
   * @param latency the mean time of one request
   */
  public static CollectionPlan plan(String organizationId, SyncMode mode, List<Item> items, int streams,
      Function<String, String> tokenOf, Function<String, Optional<RateLimitGovernor.BudgetView>> budgetOf,
      Duration latency, int concurrency, Instant now) {
    // the cost per KB beyond the streams' first pages, learned from the repositories measured
    long measuredExtra = 0;
    long measuredKb = 0;
    int measuredCount = 0;
    for (Item item : items) {
      if (item.lastFullSyncRequests().isPresent()) {
        measuredExtra += Math.max(0, item.lastFullSyncRequests().get() - streams);
        measuredKb += item.sizeKb();
        measuredCount++;
      }
    }
    int measured = 0;
    int sized = 0;
    int defaulted = 0;
    int incremental = 0;
    Map<String, long[]> perToken = new LinkedHashMap<>();
    long total = 0;
    for (Item item : items) {
      long requests;
      if (mode == SyncMode.INCREMENTAL && item.collectedBefore()) {
        requests = streams;
        incremental++;
      } else if (item.lastFullSyncRequests().isPresent()) {
        requests = item.lastFullSyncRequests().get();
        measured++;
      } else if (measuredCount > 0) {
        // repositories that all report size 0 (GitLab without statistics) cost what the measured ones did on average
        requests = streams + (measuredKb > 0 ? Math.round((double) measuredExtra * item.sizeKb() / measuredKb)
            : Math.round((double) measuredExtra / measuredCount));
        sized++;
      } else {
        requests = streams + ceilDiv(item.sizeKb(), DEFAULT_KB_PER_REQUEST);
        defaulted++;
      }
      long[] share = perToken.computeIfAbsent(tokenOf.apply(item.repositoryId()), t -> new long[2]);
      share[0]++;
      share[1] += requests;
      total += requests;
    }
    Optional<RateLimitGovernor.BudgetView> anyKnown = perToken.keySet().stream().map(budgetOf)
        .flatMap(Optional::stream).findFirst();
    List<CollectionPlan.TokenShare> tokens = new ArrayList<>();
    Duration slowest = Duration.ZERO;
    for (Map.Entry<String, long[]> entry : perToken.entrySet()) {
      long requests = entry.getValue()[1];
      Optional<RateLimitGovernor.BudgetView> known = budgetOf.apply(entry.getKey());
      // a token not used yet is taken to have the budget another token of the platform announced, whole
      // (its first window opens with its first request)
      Optional<RateLimitGovernor.BudgetView> budget = known.or(() -> anyKnown.map(other ->
          new RateLimitGovernor.BudgetView(other.limit(), other.limit(),
              now.plus(other.window().orElse(positive(Duration.between(now, other.reset())))), other.window())));
      long resets = 0;
      Duration time = Duration.ZERO;
      if (budget.isPresent() && requests > budget.get().remaining()) {
        RateLimitGovernor.BudgetView b = budget.get();
        Duration toReset = positive(Duration.between(now, b.reset()));
        Duration window = b.window().orElse(toReset);
        resets = ceilDiv(requests - b.remaining(), b.limit());
        time = toReset.plus(window.multipliedBy(resets - 1));
      }
      slowest = time.compareTo(slowest) > 0 ? time : slowest;
      tokens.add(new CollectionPlan.TokenShare(entry.getKey(), (int) entry.getValue()[0], requests, requests,
          known.map(b -> new CollectionPlan.Budget(b.limit(), b.remaining(), b.reset(), b.window())), resets,
          time));
    }
    Duration requestTime = latency.multipliedBy(total).dividedBy(Math.max(1, concurrency));
    boolean rateLimited = slowest.compareTo(requestTime) > 0;
    return new CollectionPlan(organizationId, mode, now, items.size(), total,
        new CollectionPlan.Basis(measured, sized, defaulted, incremental), tokens, latency, concurrency, requestTime,
        rateLimited ? slowest : requestTime, rateLimited);
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  private static long ceilDiv(long value, long by) {
    return by <= 0 ? 0 : (value + by - 1) / by;
  }
}
