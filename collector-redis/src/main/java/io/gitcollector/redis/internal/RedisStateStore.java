package io.gitcollector.redis.internal;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.StateStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * State in Redis, shared by every server instance: cursors, ETags, status, subscriptions and webhook delivery ids
 * (which expire on their own). Keys are prefixed ({@code gitcollector:} by default) so one Redis can serve other
 * applications too. How durable a write is depends on the Redis server's persistence (AOF with {@code appendfsync
 * everysec} or {@code always} is recommended); a write is acknowledged by Redis before {@link #put} returns.
 */
public final class RedisStateStore implements StateStore {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String location;

  public RedisStateStore(RedisURI uri, String prefix) {
    this.prefix = prefix;
    this.location = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    this.client = InstrumentedRedisClient.create(uri);
    // a lost Redis fails commands at once instead of queueing them: the sync fails and retries later, and no cursor
    // is written anywhere but Redis
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
        .build());
    try {
      this.connection = client.connect();
    } catch (RedisConnectionException e) {
      client.shutdown();
      throw new StateStoreException("cannot connect to Redis at " + location + ": " + rootMessage(e), e);
    }
    this.redis = connection.sync();
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public Optional<String> get(String key) {
    return call("read " + key, () -> Optional.ofNullable(redis.get(prefix + key)));
  }

  @Override
  public void put(String key, String value) {
    call("write " + key, () -> redis.set(prefix + key, value));
  }

  @Override
  public boolean putIfAbsent(String key, String value) {
    return call("write " + key, () -> "OK".equals(redis.set(prefix + key, value, SetArgs.Builder.nx())));
  }

  /** {@code SET NX PX}: one atomic command, so exactly one of any number of instances stores the key. */
  @Override
  public boolean putIfAbsent(String key, String value, Duration expiry) {
    return call("write " + key,
        () -> "OK".equals(redis.set(prefix + key, value, SetArgs.Builder.nx().px(expiry.toMillis()))));
  }

  @Override
  public void remove(String key) {
    call("remove " + key, () -> redis.del(prefix + key));
  }

  @Override
  public Map<String, String> scan(String keyPrefix) {
    return call("scan " + keyPrefix, () -> {
      Map<String, String> result = new TreeMap<>();
      ScanArgs args = ScanArgs.Builder.matches(escapeGlob(prefix + keyPrefix) + "*").limit(500);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          List<KeyValue<String, String>> values = redis.mget(page.getKeys().toArray(String[]::new));
          for (KeyValue<String, String> value : values) {
            if (value.hasValue()) {
              result.put(value.getKey().substring(prefix.length()), value.getValue());
            }
          }
        }
        cursor = page;
      } while (!cursor.isFinished());
      return result;
    });
  }

  @Override
  public String describe() {
    return "redis:" + location + " (prefix " + prefix + ")";
  }

  /** {@code PING}: fails at once while the connection is down (commands are rejected, not queued). */
  @Override
  public Health health() {
    try {
      String pong = redis.ping();
      return "PONG".equals(pong) ? Health.up("Redis at " + location + " answered PING")
          : Health.down("Redis at " + location + " answered PING with " + pong);
    } catch (RedisException e) {
      return Health.down("Redis at " + location + " does not answer: " + rootMessage(e));
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }

  private <T> T call(String what, Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new StateStoreException("Redis at " + location + " failed to " + what + ": " + rootMessage(e), e);
    }
  }

  private static String escapeGlob(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root.getMessage() + ")";
  }
}
