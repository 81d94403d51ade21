package io.gitcollector.redis;

import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.redis.internal.RedisCoordinator;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.coordination.CoordinatorProvider;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;

/**
 * Coordinator id {@code redis}: the job queue and repository leases of several instances, in the Redis that keeps their
 * state (the same settings); the server sets {@code lease_ttl_ms} from its {@code LEASE_TTL}.
 */
public final class RedisCoordinatorProvider implements CoordinatorProvider {
  private static final Setting LEASE_TTL_MS = Setting.integer("lease_ttl_ms", 100, 86_400_000)
      .withDefault(60_000);
  @Override
  public String id() {
    return RedisStateStoreProvider.ID;
  }

  @Override
  public List<Setting> settings() {
    return RedisStateStoreProvider.SETTINGS;
  }

  @Override
  public Coordinator create(ComponentConfig config, String instanceId) {
    RedisURI uri = RedisStateStoreProvider.redisUri(config.require(RedisStateStoreProvider.URL));
    return new RedisCoordinator(uri, config.require(RedisStateStoreProvider.KEY_PREFIX), instanceId,
        Duration.ofMillis(config.integer(LEASE_TTL_MS)));
  }
}
