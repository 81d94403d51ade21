package io.gitcollector.core.engine.internal;

import java.time.Duration;

/** How the engine waits; tests substitute one that records waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
