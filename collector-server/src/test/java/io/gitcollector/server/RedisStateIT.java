package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.EnvironmentSettings;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncStatus;
import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.redis.TestRedis;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REDIS_URL selects the Redis state store; Redis down at start-up or while running is a clear error. */
class RedisStateIT {
  private static final String TOKEN = "ghp_redisStateToken";

  @Test
  void redisUrlKeepsCursorsAndStatusInRedisAndALostRedisMovesNoCursor(@TempDir Path work) throws Exception {
    try (TestRedis redis = TestRedis.start(work.resolve("redis"));
        GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start()) {
      simulator.addRepository("acme/in-redis", RepositorySpec.of(800, 20, 1));
      Map<String, String> env = Map.of("REDIS_URL", redis.url(), "GITHUB_TOKEN", TOKEN, "GITHUB_API_URL",
          simulator.apiBaseUrl(), "COLLECTOR_DATA_DIR", work.toString());
      String id = "github:github.com/acme/in-redis";
      try (GitCollector collector = EnvironmentSettings.of(env).applyTo(GitCollector.builder(),
          getClass().getClassLoader()).build()) {
        assertTrue(collector.stateStore().describe().startsWith("redis:"), collector.stateStore().describe());
        assertEquals(800, collector.sync("https://github.com/acme/in-redis", SyncMode.FULL).totalDelivered() - 20
            - 25 - 1);
        assertTrue(collector.stateStore().get("cursor/" + id + "/commits").isPresent());
        assertEquals(SyncStatus.State.COMPLETED, collector.status(id).state());
        String cursor = collector.stateStore().get("cursor/" + id + "/commits").orElseThrow();

        redis.stop();
        assertThrows(StateStoreException.class, () -> collector.sync("https://github.com/acme/in-redis",
            SyncMode.INCREMENTAL));
        redis.restart();
        // the store reconnects by itself; the cursor is the one of the last acknowledged page
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
          try {
            assertEquals(cursor, collector.stateStore().get("cursor/" + id + "/commits").orElse("lost"));
            break;
          } catch (StateStoreException reconnecting) {
            assertTrue(System.nanoTime() < deadline, "Redis did not come back: " + reconnecting.getMessage());
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
          }
        }
      }
    }
  }

  @Test
  void redisUnavailableAtStartUpStopsTheServerWithAClearError(@TempDir Path work) throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    ChildJvm server = ChildJvm.start(work, Map.of("REDIS_URL", "redis://:s3cret-pass@127.0.0.1:" + deadPort,
        "JWT_SECRET_KEY", "a-secret-of-at-least-thirty-two-bytes!!", "PORT", "0"), List.of(), "serve");
    assertEquals(12, server.await(), server::stderr);
    assertTrue(server.stderr().contains("error: cannot connect to Redis at 127.0.0.1:" + deadPort), server.stderr());
    assertFalse(server.stderr().contains("s3cret-pass"), "the password leaked");
  }
}
