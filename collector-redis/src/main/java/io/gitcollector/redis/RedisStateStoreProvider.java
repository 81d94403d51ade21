package io.gitcollector.redis;

import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StateStoreProvider;
import io.lettuce.core.RedisURI;

/**
 * State store id {@code redis}; settings {@code url} ({@code REDIS_URL}: {@code redis://[:password@]host:port/db},
 * {@code rediss://} for TLS) and {@code key_prefix} ({@code REDIS_KEY_PREFIX}, default {@code gitcollector:}).
 */
public final class RedisStateStoreProvider implements StateStoreProvider {
  public static final String ID = "redis";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public StateStore create(ComponentConfig config) {
    return new RedisStateStore(redisUri(config.require("url")), config.get("key_prefix").orElse("gitcollector:"));
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
