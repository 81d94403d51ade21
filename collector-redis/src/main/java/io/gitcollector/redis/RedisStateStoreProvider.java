package io.gitcollector.redis;

import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.redis.internal.RedisStateStore;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import io.lettuce.core.RedisURI;
import java.util.List;

/** State store id {@code redis}: cursors, status, subscriptions, expiring webhook delivery ids. */
public final class RedisStateStoreProvider implements StateStoreProvider {
  public static final String ID = "redis";
  /** Secret: the URL may hold a password. Setting it selects Redis for state (and coordination). */
  static final Setting URL = Setting.secret("url").selecting().doc("keep state in Redis, and share work between"
      + " instances: redis://[:password@]host:port/db, rediss:// for TLS");
  static final Setting KEY_PREFIX = Setting.text("key_prefix").withDefault("gitcollector:")
      .doc("prefix of every key the collector writes");
  static final List<Setting> SETTINGS = List.of(URL, KEY_PREFIX);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public StateStore create(ComponentConfig config) {
    return new RedisStateStore(redisUri(config.require(URL)), config.require(KEY_PREFIX));
  }

  /**
   * {@code redis://[:password@]host[:port][/db]} or {@code rediss://…}, checked before Lettuce reads it (Lettuce takes
   * {@code host:notaport} for a host and fails later, at connection time). The message names the variable, never the
   * value, which may hold a password.
   */
  static RedisURI redisUri(String url) {
    java.net.URI parsed;
    try {
      parsed = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new InvalidConfigurationException("REDIS_URL is not a valid URL (" + e.getReason().replace(url, "…")
          + "); expected redis://[:password@]host[:port][/db] or rediss://…");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new InvalidConfigurationException("REDIS_URL must start with redis:// or rediss://");
    }
    if (parsed.getHost() == null) {
      throw new InvalidConfigurationException("REDIS_URL has no readable host and port; expected"
          + " redis://[:password@]host[:port][/db] with a numeric port");
    }
    try {
      return RedisURI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("REDIS_URL is not a valid redis:// or rediss:// URL");
    }
  }
}
