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

/**
 * Progress on stderr. On a terminal, one line redrawn in place at most five times a second: a bar with the percentage
 * and ETA when the platform tells how large a stream's pass is (GitHub's commit history), else the entities, their
 * rate and the time elapsed. Elsewhere (a file, a pipe, a CI log), a plain line at most every
 * {@value #PLAIN_EVERY_SECONDS} seconds: entities and pages per stream, and the rate-limit budget left.
 */
public final class ProgressPrinter implements SyncListener {
  static final int PLAIN_EVERY_SECONDS = 2;
  private static final int BAR_WIDTH = 24;
  private final PrintStream out;
  private final boolean terminal;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong lastPrintNanos = new AtomicLong();
  private final Map<StreamKind, long[]> streams = new ConcurrentHashMap<>();
  private final Map<StreamKind, Long> remaining = new ConcurrentHashMap<>();
  private final Map<String, RateLimitStatus> budgets = new ConcurrentHashMap<>();
  /** Whether a redrawn line is on screen, to be ended before anything else is printed. */
  private volatile boolean lineOpen;

  /** Progress for {@code out}, redrawn in place when {@code terminal}. */
  public ProgressPrinter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * Whether stderr is likely a terminal: the JVM has a console (stdin and stdout are terminals) and {@code TERM} is
   * not {@code dumb}. Java cannot ask about stderr alone; {@code 2>file} with a terminal elsewhere still redraws.
   */
  public static boolean stderrIsTerminal(java.util.Map<String, String> environment) {
    return System.console() != null && !"dumb".equals(environment.getOrDefault("TERM", "dumb"));
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
  public void streamRemaining(String repositoryId, StreamKind stream, long left) {
    remaining.put(stream, left);
  }

  @Override
  public void rateLimit(String platformId, RateLimitStatus status) {
    budgets.put(platformId + " " + status.resource(), status);
  }

  @Override
  public void waiting(String platformId, Duration wait, String reason) {
    endLine();
    out.printf(Locale.ROOT, "[%6.1fs] waiting %.1f s: %s%n", elapsedSeconds(), wait.toMillis() / 1000.0, reason);
  }

  /** Ends a redrawn line, so that what is printed next starts on its own. */
  private void endLine() {
    if (lineOpen) {
      lineOpen = false;
      out.println();
    }
  }

  public void summary(SyncResult result) {
    endLine();
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
    long every = terminal ? 200_000_000L : PLAIN_EVERY_SECONDS * 1_000_000_000L;
    if (now - last < every || !lastPrintNanos.compareAndSet(last, now)) {
      return;
    }
    if (terminal) {
      // \r and erase-line: the line is drawn again where it was
      out.print("\r\033[2K" + terminalLine());
      out.flush();
      lineOpen = true;
    } else {
      out.println(plainLine());
    }
  }

  /** {@code [######------]  45.2% ETA 1m12s | commits 4,500 pull_requests 300 | 1,234/s | 37s}, or without the bar. */
  String terminalLine() {
    double seconds = Math.max(elapsedSeconds(), 0.001);
    long entities = 0;
    long sizedDone = 0;
    long sizedLeft = 0;
    StringBuilder counts = new StringBuilder();
    for (StreamKind stream : StreamKind.of(io.gitcollector.core.model.EntityKind.collectedKinds())) {
      long[] streamCounts = streams.get(stream);
      if (streamCounts == null) {
        continue;
      }
      long done;
      synchronized (streamCounts) {
        done = streamCounts[0];
      }
      entities += done;
      counts.append(String.format(Locale.ROOT, " %s %,d", stream.key(), done));
      Long left = remaining.get(stream);
      if (left != null) {
        sizedDone += done;
        sizedLeft += left;
      }
    }
    StringBuilder line = new StringBuilder();
    if (sizedDone + sizedLeft > 0) {
      double fraction = (double) sizedDone / (sizedDone + sizedLeft);
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      line.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append(']')
          .append(String.format(Locale.ROOT, " %5.1f%%", fraction * 100));
      if (sizedDone > 0) {
        line.append(" ETA ").append(duration(sizedLeft * (seconds / sizedDone)));
      }
      line.append(" |");
    }
    line.append(counts.length() == 0 ? " starting" : counts).append(String.format(Locale.ROOT, " | %,.0f/s | %s",
        entities / seconds, duration(seconds)));
    return line.toString().strip();
  }

  private static String duration(double seconds) {
    long whole = Math.round(seconds);
    return whole < 60 ? whole + "s" : whole < 3600 ? whole / 60 + "m" + String.format(Locale.ROOT, "%02ds", whole % 60)
        : whole / 3600 + "h" + String.format(Locale.ROOT, "%02dm", whole % 3600 / 60);
  }

  private String plainLine() {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs]", elapsedSeconds()));
    for (StreamKind stream : StreamKind.of(io.gitcollector.core.model.EntityKind.collectedKinds())) {
      long[] counts = streams.get(stream);
      if (counts != null) {
        synchronized (counts) {
          line.append(String.format(Locale.ROOT, " %s %,d (%d pages)", stream.key(), counts[0], counts[1]));
        }
        Long left = remaining.get(stream);
        if (left != null) {
          line.append(String.format(Locale.ROOT, " %,d left", left));
        }
      }
    }
    return line.append(" | ").append(budgetLine()).toString();
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
