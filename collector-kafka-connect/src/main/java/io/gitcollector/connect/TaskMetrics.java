package io.gitcollector.connect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's own metrics, registered with the worker's metrics (JMX {@code kafka.connect:type=plugins,…}):
 * {@code repository-failures-total}, {@code repositories-failing} and {@code dead-letters-total}.
 */
final class TaskMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskMetrics.class);
  private final PluginMetrics metrics;
  private final List<MetricName> names;

  private TaskMetrics(PluginMetrics metrics, List<MetricName> names) {
    this.metrics = metrics;
    this.names = names;
  }

  static TaskMetrics register(SourceTaskContext context, LongSupplier failures, LongSupplier deadLetters,
      LongSupplier failing) {
    PluginMetrics metrics;
    try {
      metrics = context.pluginMetrics();
    } catch (LinkageError | UnsupportedOperationException e) {
      // a worker older than Kafka 4.1 has no plugin metrics; the log lines still say everything
      LOG.info("this worker offers no plugin metrics ({}); failures are logged only", e.toString());
      return new TaskMetrics(null, List.of());
    }
    MetricName total = metrics.metricName("repository-failures-total",
        "repositories reported as impossible to collect (not found, permission denied, no adapter)",
        new LinkedHashMap<>());
    MetricName current = metrics.metricName("repositories-failing",
        "repositories of this task that failed their last sync permanently", new LinkedHashMap<>());
    MetricName letters = metrics.metricName("dead-letters-total",
        "envelopes sent to the dead-letter topic because they were too large", new LinkedHashMap<>());
    metrics.addMetric(total, (Measurable) (config, now) -> failures.getAsLong());
    metrics.addMetric(current, (Measurable) (config, now) -> failing.getAsLong());
    metrics.addMetric(letters, (Measurable) (config, now) -> deadLetters.getAsLong());
    return new TaskMetrics(metrics, List.of(total, current, letters));
  }

  @Override
  public void close() {
    if (metrics != null) {
      names.forEach(metrics::removeMetric);
    }
  }
}
