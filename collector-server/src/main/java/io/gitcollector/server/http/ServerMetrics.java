package io.gitcollector.server.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Request;

/**
 * The server's meter registry: the collector's meters beside the JVM's (memory, GC, threads, class loading, CPU,
 * uptime, file descriptors) and the HTTP server's ({@code jetty_server_requests_seconds} by method, route and status,
 * Jetty's connections and thread pool), every duration a histogram with fixed buckets so that it aggregates across
 * instances.
 */
public final class ServerMetrics {
  /** Buckets of an API or webhook request's duration. */
  static final List<Duration> HTTP_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));

  private ServerMetrics() {}

  /** A Prometheus registry with the JVM's meters bound and the HTTP server's durations as histograms. */
  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("jetty.server.requests")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(HTTP_BUCKETS.stream().mapToDouble(Duration::toNanos).toArray())
            .build().merge(config);
      }
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    // the GC binder listens to notifications for the life of the process, as the registry lives
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    // the Kafka producer's and the Redis client's own meters go to Micrometer's global registry (the sink and the
    // state store see no registry of ours); from there to this one, until the server closes
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    return registry;
  }

  /**
   * Tags of an HTTP request: Micrometer's (method, status, outcome) and the route it took, a template such as
   * {@code /api/v1/repositories/{repository_id}} (never the path itself, whose ids would make a series each).
   */
  static JettyCoreRequestTagsProvider routeTags() {
    DefaultJettyCoreRequestTagsProvider standard = new DefaultJettyCoreRequestTagsProvider();
    return request -> Tags.of(standard.getTags(request)).and(Tag.of("uri", route(request)));
  }

  static String route(Request request) {
    String path = request.getHttpURI().getPath();
    return path == null ? "/" : ApiServer.routeOf(path);
  }
}
