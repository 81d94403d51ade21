package io.gitcollector.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.testkit.compat.StateStoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL state store on a real server: the state store kit, expiring keys, and a database restart. */
class PostgresStateStoreIT extends StateStoreCompatibilityKit {
  @TempDir static Path data;
  private static TestPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start(data.resolve("pg"));
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Override
  protected StateStore createStore() throws Exception {
    try (var connection = postgres.connection(); var statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS git CASCADE");
    }
    return reopenStore();
  }

  @Override
  protected StateStore reopenStore() {
    return new PostgresStateStoreProvider().create(ComponentConfig.of(postgres.settings()));
  }

  @Test
  void anExpiredKeyIsAbsentAndCanBeTakenAgain() throws Exception {
    try (StateStore store = createStore()) {
      assertTrue(store.putIfAbsent("webhook/1", "a", Duration.ofMillis(300)));
      assertFalse(store.putIfAbsent("webhook/1", "b", Duration.ofMinutes(1)));
      org.awaitility.Awaitility.await("the key to expire").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50)).until(() -> store.get("webhook/1").isEmpty());
      assertTrue(store.scan("webhook/").isEmpty());
      assertTrue(store.putIfAbsent("webhook/1", "c", Duration.ofMinutes(1)), "an expired key is taken again");
      assertEquals(Optional.of("c"), store.get("webhook/1"));
      store.put("webhook/1", "kept");
      assertEquals(Optional.of("kept"), store.get("webhook/1"), "a plain put does not expire");
    }
  }

  @Test
  void aDatabaseRestartFailsTheWritesInBetweenThenTheStoreGoesOn() throws Exception {
    try (StateStore store = createStore()) {
      store.put("status/x", "before");
      postgres.stop();
      try {
        assertTrue(store.health().isDown(), "down while the database is");
        assertThrows(io.gitcollector.core.model.StateStoreException.class, () -> store.put("status/x", "during"));
      } finally {
        postgres.restart();
      }
      store.put("status/x", "after");
      assertEquals(Optional.of("after"), store.get("status/x"));
      assertFalse(store.health().isDown());
    }
  }

  private static void assertThrows(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable run) {
    org.junit.jupiter.api.Assertions.assertThrows(type, run);
  }
}
