package io.gitcollector.core.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Durable key-value state: cursors, ETags, sync status. {@link #put} returns only once the value would survive a crash
 * of the process; a reader sees either the old or the new value, never a torn one.
 *
 * <p>Implementations must be safe to call from several threads.
 */
public interface StateStore extends AutoCloseable {

  Optional<String> get(String key);

  void put(String key, String value);

  void remove(String key);

  /**
   * Stores the value only if the key is absent, atomically with respect to every other caller of this store (across
   * processes, for shared stores).
   *
   * @return true if this call stored it
   */
  boolean putIfAbsent(String key, String value);

  /**
   * Like {@link #putIfAbsent(String, String)}, for a key that may be forgotten after {@code expiry} (webhook delivery
   * ids). Stores that cannot expire keys keep them; their owner removes them.
   */
  default boolean putIfAbsent(String key, String value, java.time.Duration expiry) {
    return putIfAbsent(key, value);
  }

  /** Every entry whose key starts with {@code prefix}. */
  Map<String, String> scan(String prefix);

  /** Whether the store would read and write now; bounded in time, may be cached for a few seconds. */
  default Health health() {
    return Health.unknown();
  }

  /** Where a key's value is kept, for error messages: a file path, a Redis key. Never a credential. */
  default String locationOf(String key) {
    return describe() + ", key '" + key + "'";
  }

  default String describe() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() {}
}
