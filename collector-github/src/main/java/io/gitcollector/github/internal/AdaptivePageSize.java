package io.gitcollector.github.internal;

/**
 * A GraphQL page size that halves on a gateway timeout and doubles back after a run of successes, so a query that is
 * too heavy for GitHub at 100 nodes still completes, and a passing hiccup does not slow the rest of the collection.
 */
final class AdaptivePageSize {
  static final int MIN = 10;
  private static final int SUCCESSES_TO_GROW = 5;
  private final int max;
  private int current;
  private int successes;

  AdaptivePageSize(int max) {
    this.max = max;
    this.current = max;
  }

  synchronized int current() {
    return current;
  }

  synchronized boolean isFull() {
    return current == max;
  }

  synchronized void shrink() {
    current = Math.max(MIN, current / 2);
    successes = 0;
  }

  synchronized void succeeded() {
    if (current < max && ++successes >= SUCCESSES_TO_GROW) {
      current = Math.min(max, current * 2);
      successes = 0;
    }
  }
}
