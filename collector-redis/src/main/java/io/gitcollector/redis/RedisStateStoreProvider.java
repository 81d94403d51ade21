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
    String url = config.require("url");
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (IllegalArgumentException e) {
      // the URL may hold a password: name the problem, not the value
      throw new InvalidConfigurationException("REDIS_URL is not a valid redis:// or rediss:// URL");
    }
    return new RedisStateStore(uri, config.get("key_prefix").orElse("gitcollector:"));
  }
}
