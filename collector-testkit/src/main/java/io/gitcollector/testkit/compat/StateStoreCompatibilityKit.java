package io.gitcollector.testkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} honours. An implementation proves itself with a subclass that opens a store
 * and opens it again on the same data, as a restarted process would.
 */
public abstract class StateStoreCompatibilityKit {

  /** A store over empty state. */
  protected abstract StateStore createStore() throws Exception;

  /** A second store over the same state as the last one created (a restarted process). */
  protected abstract StateStore reopenStore() throws Exception;

  @Test
  void whatIsPutIsReadBackAndSurvivesARestart() throws Exception {
    String key = "cursor/github:github.com/octo/repo/commits";
    try (StateStore store = createStore()) {
      assertEquals(Optional.empty(), store.get(key));
      store.put(key, "{\"phase\":\"paging\"}");
      store.put(key, "{\"phase\":\"done\"}");
      assertEquals(Optional.of("{\"phase\":\"done\"}"), store.get(key));
    }
    try (StateStore reopened = reopenStore()) {
      assertEquals(Optional.of("{\"phase\":\"done\"}"), reopened.get(key));
    }
  }

  @Test
  void keysWithSlashesColonsAndUnicodeAreKeptApart() throws Exception {
    try (StateStore store = createStore()) {
      store.put("status/gitlab:gitlab.example.com/group/sub/project", "a");
      store.put("status/gitlab:gitlab.example.com/group/sub", "b");
      store.put("status/github:github.com/ünïcode/répo", "c");
      assertEquals(Optional.of("a"), store.get("status/gitlab:gitlab.example.com/group/sub/project"));
      assertEquals(Optional.of("b"), store.get("status/gitlab:gitlab.example.com/group/sub"));
      assertEquals(Optional.of("c"), store.get("status/github:github.com/ünïcode/répo"));
    }
  }

  @Test
  void scanReturnsExactlyThePrefixAndRemoveForgets() throws Exception {
    try (StateStore store = createStore()) {
      store.put("status/a", "1");
      store.put("status/b", "2");
      store.put("cursor/a/commits", "3");
      assertEquals(Map.of("status/a", "1", "status/b", "2"), store.scan("status/"));
      store.remove("status/a");
      store.remove("status/never-there");
      assertEquals(Map.of("status/b", "2"), store.scan("status/"));
      assertEquals(Optional.empty(), store.get("status/a"));
    }
  }

  @Test
  void putIfAbsentStoresOnceAmongConcurrentCallers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (StateStore store = createStore()) {
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String value = "claimant-" + i;
        claims.add(pool.submit(() -> store.putIfAbsent("delivery/github/72d3162e", value)));
      }
      int won = 0;
      for (Future<Boolean> claim : claims) {
        won += claim.get() ? 1 : 0;
      }
      assertEquals(1, won, "exactly one caller stores the key");
      assertTrue(store.get("delivery/github/72d3162e").orElseThrow().startsWith("claimant-"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anExpiringKeyIsStoredOnceAmongConcurrentCallersAndReadableUntilRemoved() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (StateStore store = createStore()) {
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String value = "claimant-" + i;
        claims.add(pool.submit(() -> store.putIfAbsent("delivery/github/9a1b2c3d", value, Duration.ofHours(1))));
      }
      int won = 0;
      for (Future<Boolean> claim : claims) {
        won += claim.get() ? 1 : 0;
      }
      assertEquals(1, won, "exactly one caller stores the key");
      String stored = store.get("delivery/github/9a1b2c3d").orElseThrow();
      assertTrue(stored.startsWith("claimant-"));
      assertEquals(Map.of("delivery/github/9a1b2c3d", stored), store.scan("delivery/github/"));
      store.remove("delivery/github/9a1b2c3d");
      assertEquals(Optional.empty(), store.get("delivery/github/9a1b2c3d"));
      assertTrue(store.putIfAbsent("delivery/github/9a1b2c3d", "again", Duration.ofHours(1)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritersLeaveOneWholeValue() throws Exception {
    String first = "x".repeat(5_000);
    String second = "y".repeat(5_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (StateStore store = createStore()) {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String value = i % 2 == 0 ? first : second;
        work.add(pool.submit(() -> store.put("contended", value)));
        work.add(pool.submit(() -> {
          String read = store.get("contended").orElse(first);
          assertTrue(read.equals(first) || read.equals(second), "a torn value was read");
        }));
      }
      for (Future<?> future : work) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
