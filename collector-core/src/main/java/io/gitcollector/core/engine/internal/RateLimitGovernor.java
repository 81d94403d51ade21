package io.gitcollector.core.engine.internal;

import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RateLimitExhaustedException;
import io.gitcollector.core.spi.RateLimitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;

/**
 * Paces requests by the budgets the platforms announce in their headers, one budget per platform host, token and
 * resource. Before each request it takes one unit from the last known budget (so concurrent requests do not overshoot),
 * and when the budget is spent it waits for the announced reset instead of letting the platform refuse us. Pauses
 * ordered by {@code Retry-After} or a secondary limit apply to every request of that budget.
 */
public final class RateLimitGovernor {

  /** Added to a reset time: platform clocks and ours differ by a little. */
  static final Duration CLOCK_SKEW_MARGIN = Duration.ofSeconds(1);

  private final ConcurrentMap<String, Budget> budgets = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration maxWait;
  private final BiConsumer<Duration, String> onWait;
  private final int sharers;

  public RateLimitGovernor(Clock clock, Sleeper sleeper, Duration maxWait, BiConsumer<Duration, String> onWait) {
    this(clock, sleeper, maxWait, onWait, 1);
  }

  /**
   * A governor that spends at most {@code 1/sharers} of each announced budget window: processes that share a token
   * (the tasks of a Kafka Connect connector) each keep to their share instead of racing each other to the reset.
   */
  public RateLimitGovernor(Clock clock, Sleeper sleeper, Duration maxWait, BiConsumer<Duration, String> onWait,
      int sharers) {
    if (sharers < 1) {
      throw new IllegalArgumentException("sharers must be at least 1, was " + sharers);
    }
    this.sharers = sharers;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    this.onWait = Objects.requireNonNull(onWait, "onWait");
  }

  /**
   * Blocks until a request against the budget may go out. While a budget is unknown (no response has announced it
   * yet), one request goes out alone to learn it, so a burst at start-up cannot overrun a small budget.
   */
  public void acquire(String budgetKey) {
    Budget budget = budgets.computeIfAbsent(budgetKey, k -> new Budget());
    while (true) {
      Duration wait;
      String reason;
      synchronized (budget) {
        Instant now = clock.instant();
        if (budget.pausedUntil.isAfter(now)) {
          wait = Duration.between(now, budget.pausedUntil);
          reason = budget.pauseReason;
        } else if (budget.remaining == 0 && budget.reset.isAfter(now.minus(CLOCK_SKEW_MARGIN))) {
          wait = Duration.between(now, budget.reset.plus(CLOCK_SKEW_MARGIN));
          reason = "rate-limit budget spent; it resets at " + budget.reset;
          if (wait.isNegative() || wait.isZero()) {
            budget.remaining = -1;
            continue;
          }
        } else if (sharers > 1 && budget.limit > 0 && budget.spentInWindow >= Math.max(1, budget.limit / sharers)
            && budget.reset.isAfter(now.minus(CLOCK_SKEW_MARGIN))) {
          wait = Duration.between(now, budget.reset.plus(CLOCK_SKEW_MARGIN));
          reason = "this process's share (1/" + sharers + ", " + Math.max(1, budget.limit / sharers) + " of "
              + budget.limit + ") of the rate-limit budget is spent; it resets at " + budget.reset;
          if (wait.isNegative() || wait.isZero()) {
            budget.spentInWindow = 0;
            continue;
          }
        } else if (budget.remaining < 0 && budget.scoutInFlight && !budget.unannounced) {
          awaitScout(budget);
          continue;
        } else {
          if (budget.remaining < 0 && !budget.unannounced) {
            budget.scoutInFlight = true;
          } else if (budget.remaining > 0) {
            budget.remaining--;
          }
          budget.inFlight++;
          budget.spentInWindow++;
          return;
        }
      }
      sleepFor(wait, reason);
      synchronized (budget) {
        if (!budget.reset.isAfter(clock.instant().minus(CLOCK_SKEW_MARGIN))) {
          if (budget.remaining == 0) {
            budget.remaining = -1;
          }
          budget.spentInWindow = 0;
        }
      }
    }
  }

  /** Blocks while a pause ordered for {@code key} (a secondary limit covering a whole token) is in force. */
  public void awaitPause(String key) {
    Budget budget = budgets.computeIfAbsent(key, k -> new Budget());
    while (true) {
      Duration wait;
      String reason;
      synchronized (budget) {
        Instant now = clock.instant();
        if (!budget.pausedUntil.isAfter(now)) {
          return;
        }
        wait = Duration.between(now, budget.pausedUntil);
        reason = budget.pauseReason;
      }
      sleepFor(wait, reason);
    }
  }

  /** Called after every attempt: a request that learned nothing about an unknown budget lets the next one try. */
  public void release(String budgetKey) {
    Budget budget = budgets.get(budgetKey);
    if (budget == null) {
      return;
    }
    synchronized (budget) {
      budget.inFlight = Math.max(0, budget.inFlight - 1);
      if (budget.scoutInFlight) {
        budget.scoutInFlight = false;
        // the platform did not announce this budget: stop scouting, or every request would go out alone
        budget.unannounced = budget.remaining < 0;
        budget.notifyAll();
      }
    }
  }

  private void awaitScout(Budget budget) {
    try {
      budget.wait(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException("interrupted while waiting for the rate-limit budget", e);
    }
  }

  private void sleepFor(Duration wait, String reason) {
    if (wait.compareTo(maxWait) > 0) {
      throw new RateLimitExhaustedException(reason + "; waiting " + wait.toSeconds()
          + " s would exceed the configured maximum wait of " + maxWait.toSeconds() + " s");
    }
    onWait.accept(wait, reason);
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException("interrupted while waiting for the rate limit to reset", e);
    }
  }

  /** Takes the budget a response announced. */
  public void observe(String budgetKey, RateLimitStatus status) {
    Budget budget = budgets.computeIfAbsent(budgetKey, k -> new Budget());
    synchronized (budget) {
      if (!status.reset().equals(budget.reset) || budget.remaining < 0) {
        if (budget.reset.isAfter(Instant.EPOCH) && status.reset().isAfter(budget.reset)) {
          // a window follows the last one: the shortest step seen between resets is the window's length (a
          // platform whose window opens with the first request after a reset may step further when idle)
          Duration step = Duration.between(budget.reset, status.reset());
          budget.window = budget.window == null || step.compareTo(budget.window) < 0 ? step : budget.window;
        }
        budget.reset = status.reset();
        budget.limit = status.limit();
        // requests of this process in flight land in the new window, as does the one that announced it
        budget.spentInWindow = budget.inFlight;
        // the other requests in flight may land in this window after the response that announced it: they are
        // counted against it, or a new window could be overrun by requests sent at the end of the last one
        budget.remaining = Math.max(0, status.remaining() - Math.max(0, budget.inFlight - 1));
      } else {
        // same window: responses of concurrent requests arrive out of order, the smallest figure is the newest
        budget.remaining = Math.min(budget.remaining, status.remaining());
      }
      if (budget.scoutInFlight) {
        budget.scoutInFlight = false;
        budget.notifyAll();
      }
    }
  }

  /** Stops every request of the budget until {@code wait} has passed. */
  public void pause(String budgetKey, Duration wait, String reason) {
    Budget budget = budgets.computeIfAbsent(budgetKey, k -> new Budget());
    synchronized (budget) {
      Instant until = clock.instant().plus(wait);
      if (until.isAfter(budget.pausedUntil)) {
        budget.pausedUntil = until;
        budget.pauseReason = reason;
      }
    }
  }

  /**
   * Until when the budgets of a token ({@code prefix}: every key that begins with it) let no request go out: spent
   * until their reset, or paused; empty when one could go out now.
   */
  public java.util.Optional<Instant> blockedUntil(String prefix) {
    Instant now = clock.instant();
    Instant latest = null;
    for (Map.Entry<String, Budget> entry : budgets.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        continue;
      }
      Budget budget = entry.getValue();
      synchronized (budget) {
        Instant until = budget.pausedUntil.isAfter(now) ? budget.pausedUntil : null;
        if (budget.remaining == 0 && budget.reset.isAfter(now) && (until == null || budget.reset.isAfter(until))) {
          until = budget.reset;
        }
        if (until != null && (latest == null || until.isAfter(latest))) {
          latest = until;
        }
      }
    }
    return java.util.Optional.ofNullable(latest);
  }

  /**
   * What is known of the tightest budget (the smallest announced limit) among those whose keys begin with
   * {@code prefix} (a token's); empty while no response has announced one.
   */
  public java.util.Optional<BudgetView> tightest(String prefix) {
    BudgetView tightest = null;
    for (Map.Entry<String, Budget> entry : budgets.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        continue;
      }
      java.util.Optional<BudgetView> view = view(entry.getValue());
      if (view.isPresent() && (tightest == null || view.get().limit() < tightest.limit())) {
        tightest = view.get();
      }
    }
    return java.util.Optional.ofNullable(tightest);
  }

  /** Every budget a response announced, by its key ({@code <platform>|<api>|<token>|<resource>}). */
  public Map<String, BudgetView> announced() {
    Map<String, BudgetView> views = new java.util.TreeMap<>();
    budgets.forEach((key, budget) -> view(budget).ifPresent(view -> views.put(key, view)));
    return views;
  }

  private java.util.Optional<BudgetView> view(Budget budget) {
    synchronized (budget) {
      if (budget.limit <= 0) {
        return java.util.Optional.empty();
      }
      Instant now = clock.instant();
      boolean current = budget.reset.isAfter(now);
      // a window that ended: the next opens with the next request, whole
      return java.util.Optional.of(new BudgetView(budget.limit, current ? Math.max(0, budget.remaining)
          : budget.limit, current ? budget.reset : now.plus(budget.window == null ? Duration.ZERO : budget.window),
          java.util.Optional.ofNullable(budget.window)));
    }
  }

  /**
   * A budget as last announced.
   *
   * @param reset when the current window ends (when it already has: when the next would, the whole limit there)
   * @param window the length of a window, once two resets have been seen
   */
  public record BudgetView(long limit, long remaining, Instant reset, java.util.Optional<Duration> window) {}

  /** The last known remaining budget, or -1 if unknown. */
  public long remaining(String budgetKey) {
    Budget budget = budgets.get(budgetKey);
    if (budget == null) {
      return -1;
    }
    synchronized (budget) {
      return budget.remaining;
    }
  }

  private static final class Budget {
    long remaining = -1;
    /** The window's size as announced, and how many requests this process sent in it. */
    long limit = -1;
    long spentInWindow;
    /** Requests that acquired this budget and have not been released. */
    int inFlight;
    Instant reset = Instant.EPOCH;
    /** The shortest step seen between two resets; null until a second window was announced. */
    Duration window;
    Instant pausedUntil = Instant.EPOCH;
    String pauseReason = "";
    boolean scoutInFlight;
    boolean unannounced;
  }
}
