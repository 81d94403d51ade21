package io.gitcollector.core.engine;

import io.gitcollector.core.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What collecting an organization's selected repositories should cost, estimated before it starts from what its
 * discovery pass saw: requests and rate-limit points in all and per token of the pool, and the wall time, which is
 * the longer of what the requests take at the latency discovery measured and what the tokens' budgets allow.
 *
 * <p>A repository collected fully before is estimated at what its last full (or first) sync cost; one never collected
 * from its size in the listing, at the cost per KB the organization's measured repositories show, or, while none was
 * measured, at one request per stream plus one per MB. An incremental sync of a repository collected before is
 * estimated at one request per stream (free where the platform honours ETags and nothing changed). Points are
 * counted as one a request, the cost of a REST request; a GraphQL query may cost more or less.
 *
 * @param repositories the repositories the plan covers (the discovery's selected ones)
 * @param requests estimated requests in all
 * @param basis how many repositories were estimated each way
 * @param tokens each token's share: its repositories, requests and what its budget makes of them
 * @param latency the mean time one request of the discovery pass took
 * @param requestTime what the requests take at that latency, {@code concurrency} at a time
 * @param wallTime the estimate: the longer of {@code requestTime} and the slowest token's budget
 * @param rateLimited whether a token's budget, not latency, sets the wall time
 */
public record CollectionPlan(String organizationId, SyncMode mode, Instant made, int repositories, long requests,
    Basis basis, List<TokenShare> tokens, Duration latency, int concurrency, Duration requestTime, Duration wallTime,
    boolean rateLimited) {

  public CollectionPlan {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(made, "made");
    Objects.requireNonNull(basis, "basis");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(requestTime, "requestTime");
    Objects.requireNonNull(wallTime, "wallTime");
  }

  /** Rate-limit points in all: one a request. */
  public long points() {
    return tokens.stream().mapToLong(TokenShare::points).sum();
  }

  /**
   * How many repositories were estimated each way.
   *
   * @param measured at what their last full sync cost
   * @param sized from their size, at the cost per KB of the measured ones
   * @param defaulted from their size, at one request per stream plus one per MB (nothing measured yet)
   * @param incremental at one request per stream, collected before and synced incrementally
   */
  public record Basis(int measured, int sized, int defaulted, int incremental) {}

  /**
   * One token's share of the plan.
   *
   * @param token the token's fingerprint (never the token), or {@code anonymous}
   * @param budget its tightest budget as last announced; empty while none was (the plan then assumes the budget
   *     another token of the pool announced, or none)
   * @param resets how many budget resets the share waits for
   * @param time how long its budget makes the share last; zero when the remaining budget covers it
   */
  public record TokenShare(String token, int repositories, long requests, long points, Optional<Budget> budget,
      long resets, Duration time) {
    public TokenShare {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(time, "time");
    }
  }

  /**
   * A token's budget as the platform last announced it.
   *
   * @param window the length of a budget window, once two resets were seen; otherwise the time to the next reset
   *     stands for it
   */
  public record Budget(long limit, long remaining, Instant reset, Optional<Duration> window) {
    public Budget {
      Objects.requireNonNull(reset, "reset");
      Objects.requireNonNull(window, "window");
    }
  }
}
