package io.gitcollector.core.engine.internal;

/**
 * How many requests of one token may be in flight, narrowed by secondary rate limits. GitHub asks integrators that
 * hit a secondary limit to make requests serially rather than concurrently: after one, requests go one at a time for
 * a cool-down of successful requests, then the limit widens by one every {@link #WIDEN_EVERY} successes; another
 * secondary limit narrows it to one again and doubles the cool-down, so a platform that tolerates little concurrency
 * is soon asked serially for good. Without a secondary limit there is no limit at all.
 */
final class ConcurrencyGate {
  static final int FIRST_COOL_DOWN = 50;
  static final int MAX_COOL_DOWN = 10_000;
  static final int WIDEN_EVERY = 10;
  static final int OPEN = Integer.MAX_VALUE;
  /** Past this many, the gate opens fully again. */
  static final int WIDEST = 32;

  private int allowed = OPEN;
  private int inFlight;
  private int coolDown = FIRST_COOL_DOWN;
  private int successes;

  /** Waits for a slot. */
  synchronized void enter() throws InterruptedException {
    while (inFlight >= allowed) {
      wait();
    }
    inFlight++;
  }

  /** Frees a slot, after a request that succeeded, was refused by a secondary limit, or neither. */
  synchronized void leave(Outcome outcome) {
    inFlight--;
    switch (outcome) {
      case SECONDARY_LIMIT -> {
        if (allowed != OPEN) {
          coolDown = Math.min(MAX_COOL_DOWN, coolDown * 2);
        }
        allowed = 1;
        successes = 0;
      }
      case SUCCESS -> {
        if (allowed != OPEN) {
          successes++;
          int needed = allowed == 1 ? coolDown : WIDEN_EVERY;
          if (successes >= needed) {
            successes = 0;
            allowed = allowed + 1 > WIDEST ? OPEN : allowed + 1;
          }
        }
      }
      case OTHER -> { }
    }
    notifyAll();
  }

  synchronized int allowed() {
    return allowed;
  }

  enum Outcome {
    SUCCESS,
    SECONDARY_LIMIT,
    OTHER
  }
}
