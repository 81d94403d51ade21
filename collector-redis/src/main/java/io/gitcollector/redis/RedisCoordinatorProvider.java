package io.gitcollector.redis;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.Coordinator;
import io.gitcollector.core.spi.CoordinatorProvider;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/** Coordinator id {@code redis}; settings {@code url}, {@code key_prefix}, {@code lease_ttl_ms}. */
public final class RedisCoordinatorProvider implements CoordinatorProvider {
  @Override
  public String id() {
    return RedisStateStoreProvider.ID;
  }

  @Override
  public Coordinator create(ComponentConfig config, String instanceId) {
    RedisURI uri = RedisStateStoreProvider.redisUri(config.require("url"));
    return new RedisCoordinator(uri, config.get("key_prefix").orElse("gitcollector:"), instanceId,
        Duration.ofMillis(config.integer("lease_ttl_ms", 60_000)));
  }
}
