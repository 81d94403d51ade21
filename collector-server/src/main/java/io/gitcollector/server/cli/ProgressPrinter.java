package io.gitcollector.server.cli;

import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.engine.SyncListener;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.spi.RateLimitStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Prints progress to stderr at most once a second: entities and pages per stream, and rate-limit budget left. */
public final class ProgressPrinter implements SyncListener {
  private final PrintStream out;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong lastPrintNanos = new AtomicLong();
  private final Map<StreamKind, long[]> streams = new ConcurrentHashMap<>();
  private final Map<String, RateLimitStatus> budgets = new ConcurrentHashMap<>();

  public ProgressPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void pageDelivered(String repositoryId, StreamKind stream, int items, long streamTotal) {
    long[] counts = streams.computeIfAbsent(stream, s -> new long[2]);
    synchronized (counts) {
      counts[0] = streamTotal;
      counts[1]++;
    }
    maybePrint();
  }

  @Override
  public void rateLimit(String platformId, RateLimitStatus status) {
    budgets.put(platformId + " " + status.resource(), status);
  }

  @Override
  public void waiting(String platformId, Duration wait, String reason) {
    out.printf(Locale.ROOT, "[%6.1fs] waiting %.1f s: %s%n", elapsedSeconds(), wait.toMillis() / 1000.0, reason);
  }

  public void summary(SyncResult result) {
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "collected %s (%s) in %.1f s with %d requests:", result.repositoryId(),
        result.mode().name().toLowerCase(Locale.ROOT), result.duration().toMillis() / 1000.0, result.requests()));
    result.delivered().forEach((stream, count) -> line.append(String.format(Locale.ROOT, " %s %,d", stream.key(),
        count)));
    if (!result.skippedKinds().isEmpty()) {
      line.append(" (not served by this platform: ").append(String.join(", ", result.skippedKinds())).append(')');
    }
    out.println(line);
    out.println(budgetLine() + String.format(Locale.ROOT, " | peak heap %.0f MB", peakHeapBytes() / 1e6));
  }

  /** The sum of the heap pools' peak usage since the JVM started. */
  static long peakHeapBytes() {
    long peak = 0;
    for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  private void maybePrint() {
    long now = System.nanoTime();
    long last = lastPrintNanos.get();
    if (now - last < 1_000_000_000L || !lastPrintNanos.compareAndSet(last, now)) {
      return;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs]", elapsedSeconds()));
    for (StreamKind stream : StreamKind.of(io.gitcollector.core.model.EntityKind.collectedKinds())) {
      long[] counts = streams.get(stream);
      if (counts != null) {
        synchronized (counts) {
          line.append(String.format(Locale.ROOT, " %s %,d (%d pages)", stream.key(), counts[0], counts[1]));
        }
      }
    }
    line.append(" | ").append(budgetLine());
    out.println(line);
  }

  private String budgetLine() {
    if (budgets.isEmpty()) {
      return "rate limit: not reported";
    }
    StringBuilder line = new StringBuilder("rate limit left:");
    budgets.forEach((key, status) -> line.append(String.format(Locale.ROOT, " %s %,d/%,d", key, status.remaining(),
        status.limit())));
    return line.toString();
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
