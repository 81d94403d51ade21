package io.gitcollector.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.testkit.compat.StateStoreCompatibilityKit;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis state store runs the state-store kit against a real Redis server, and fails clearly without one. */
class RedisStateStoreCompatibilityIT extends StateStoreCompatibilityKit {
  private static TestRedis redis;
  private String prefix;

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @Override
  protected StateStore createStore() {
    prefix = "kit-" + UUID.randomUUID() + ":";
    return reopenStore();
  }

  @Override
  protected StateStore reopenStore() {
    return new RedisStateStoreProvider().create(ComponentConfig.of(Map.of("url", redis.url(), "key_prefix", prefix)));
  }

  @Test
  void commandLatenciesGoToMicrometersGlobalRegistry() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    try (StateStore store = createStore()) {
      store.put("status/x", "1");
      store.get("status/x");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (registry.find("lettuce.command.completion").timers().stream().mapToLong(t -> t.count()).sum() == 0) {
        assertTrue(System.nanoTime() < deadline, "no Lettuce latency meter: " + registry.getMetersAsString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      assertTrue(registry.find("lettuce.command.completion").tag("command", "SET").timer() != null,
          registry.getMetersAsString());
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(registry);
    }
  }

  @Test
  void deliveryIdsExpireOnTheirOwn() {
    try (StateStore store = createStore()) {
      assertTrue(store.putIfAbsent("delivery/github/abc", "x", Duration.ofMillis(300)));
      assertFalse(store.putIfAbsent("delivery/github/abc", "y", Duration.ofMillis(300)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (store.get("delivery/github/abc").isPresent()) {
        assertTrue(System.nanoTime() < deadline, "the key never expired");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      assertEquals(Optional.empty(), store.get("delivery/github/abc"));
    }
  }

  @Test
  void prefixesKeepApplicationsApartAndGlobCharactersAreLiteral() {
    try (StateStore store = createStore()) {
      store.put("status/a*b", "1");
      store.put("status/axb", "2");
      assertEquals(Map.of("status/a*b", "1"), store.scan("status/a*"));
    }
  }

  @Test
  void anUnreachableRedisIsAClearErrorAtStartUp() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    StateStoreException error = assertThrows(StateStoreException.class, () -> new RedisStateStoreProvider()
        .create(ComponentConfig.of(Map.of("url", "redis://:hunter2-password@127.0.0.1:" + deadPort))));
    assertTrue(error.getMessage().startsWith("cannot connect to Redis at 127.0.0.1:" + deadPort), error.getMessage());
    assertFalse(error.getMessage().contains("hunter2"), "the password leaked: " + error.getMessage());
  }
}
