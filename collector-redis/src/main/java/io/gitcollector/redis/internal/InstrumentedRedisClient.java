package io.gitcollector.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Metrics;

/**
 * A Lettuce client whose command latencies go to Micrometer's global registry ({@code lettuce.command.completion}
 * and {@code lettuce.command.firstresponse}, by command and server), where the server has added its Prometheus
 * registry; an embedding application adds its own. Its resources are its own, shut down with it.
 */
final class InstrumentedRedisClient {
  private InstrumentedRedisClient() {}

  static RedisClient create(RedisURI uri) {
    ClientResources resources = ClientResources.builder()
        .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(Metrics.globalRegistry,
            MicrometerOptions.builder().histogram(true).build()))
        .build();
    return new OwningRedisClient(resources, uri);
  }

  /** A client that shuts its resources down with itself (Lettuce leaves resources it was given running). */
  private static final class OwningRedisClient extends RedisClient {
    private final ClientResources resources;

    OwningRedisClient(ClientResources resources, RedisURI uri) {
      super(resources, uri);
      this.resources = resources;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout,
        java.util.concurrent.TimeUnit timeUnit) {
      return super.shutdownAsync(quietPeriod, timeout, timeUnit).thenCompose(done -> {
        java.util.concurrent.CompletableFuture<Void> resourcesDown = new java.util.concurrent.CompletableFuture<>();
        resources.shutdown(quietPeriod, timeout, timeUnit).addListener(future -> resourcesDown.complete(null));
        return resourcesDown;
      });
    }
  }
}
