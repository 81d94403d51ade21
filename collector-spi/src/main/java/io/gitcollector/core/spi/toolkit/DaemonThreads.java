package io.gitcollector.core.spi.toolkit;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads named {@code <name>-N} that never keep the JVM alive: a pool an adapter, a sink or the server forgets to
 * shut down must not stop a command line from exiting.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads named {@code <name>-1}, {@code <name>-2}, … */
  public static ThreadFactory named(String name) {
    Objects.requireNonNull(name, "name");
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
