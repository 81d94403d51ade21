package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.spi.RemoteCallExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Requests an adapter makes for each item of a page (a commit's diffstat, a merge request's reviews), run in parallel
 * on a bounded pool of daemon threads, with the results in the items' order. Each request still goes through the
 * engine's {@link RemoteCallExecutor}; this only decides how many wait on it at once. A failure surfaces as the
 * {@link CollectorException} it was; anything else, or an interrupt, as a {@link PlatformUnavailableException} naming
 * what was being read.
 */
public final class ParallelFetches implements AutoCloseable {
  private final ExecutorService pool;

  /** {@code threads} at most in flight, named {@code <threadName>-N}. */
  public ParallelFetches(String threadName, int threads) {
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), DaemonThreads.named(threadName));
  }

  /**
   * Starts one fetch now and returns at once, for reading ahead (the next pages of a history while the engine
   * delivers this one); {@link #await} gives its result with the same error rules as {@link #map}.
   */
  public <O> Future<O> submit(Callable<O> fetch) {
    return pool.submit(fetch);
  }

  /** The result of a fetch started with {@link #submit}. */
  public static <O> O await(Future<O> fetch, String what) {
    try {
      return fetch.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException("interrupted while reading " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CollectorException error) {
        throw error;
      }
      throw new PlatformUnavailableException("reading " + what + " failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * {@code fetch} applied to every item, in parallel; returns when all are done or the first (in order) failed.
   *
   * @param what what one fetch reads, for errors ("a diffstat")
   */
  public <I, O> List<O> map(List<I> items, String what, Function<? super I, ? extends O> fetch) {
    List<Future<? extends O>> futures = new ArrayList<>(items.size());
    for (I item : items) {
      futures.add(pool.submit(() -> fetch.apply(item)));
    }
    List<O> results = new ArrayList<>(items.size());
    for (Future<? extends O> future : futures) {
      results.add(await(future, what));
    }
    return results;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
