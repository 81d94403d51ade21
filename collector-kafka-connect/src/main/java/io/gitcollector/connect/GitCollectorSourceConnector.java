package io.gitcollector.connect;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Runs the collector's platform adapters on a Kafka Connect cluster: the repositories are divided among
 * {@code tasks.max} tasks by {@link RepositoryAssignment rendezvous hashing}, each task collects its share with the
 * collector's engine and writes the same records as the Kafka sink, and stream positions are Connect's source
 * offsets. Exactly-once delivery is supported, with Connect's transaction boundaries or the connector's own (one page
 * per transaction, {@code transaction.boundary=connector}).
 */
public final class GitCollectorSourceConnector extends SourceConnector {
  private Map<String, String> props;
  private ConnectorSettings settings;

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    Config checked = validate(props);
    List<String> problems = new ArrayList<>();
    for (ConfigValue value : checked.configValues()) {
      value.errorMessages().forEach(message -> problems.add(value.name() + ": " + message));
    }
    if (!problems.isEmpty()) {
      throw new ConnectException("invalid configuration: " + String.join("; ", problems));
    }
    this.props = Map.copyOf(props);
    this.settings = new ConnectorSettings(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return GitCollectorSourceTask.class;
  }

  /**
   * One task per non-empty slot of {@code maxTasks}: each task's configuration is the connector's with its own
   * repositories in {@code repositories}, and the number of tasks (which share each token's rate-limit budget
   * equally). A task whose repositories did not change keeps the same configuration, so Connect has no reason to
   * restart it when others change.
   */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<List<String>> slots = RepositoryAssignment.divide(settings.repositories(), maxTasks).stream()
        .filter(slot -> !slot.isEmpty()).toList();
    List<Map<String, String>> configs = new ArrayList<>();
    for (List<String> slot : slots) {
      Map<String, String> config = new HashMap<>(props);
      config.put(ConnectorSettings.REPOSITORIES, String.join(",", slot));
      config.put(ConnectorSettings.TASK_COUNT, Integer.toString(slots.size()));
      configs.add(config);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return ConnectorSettings.definition();
  }

  /**
   * Connect's checks of each field, then what needs several fields: every repository URL must be served by an
   * installed adapter as configured (a self-hosted GitLab only with its {@code gitlab.api.url}), and the kinds must be
   * declared ones. Each problem is reported on its field.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> byName = new HashMap<>();
    config.configValues().forEach(value -> byName.put(value.name(), value));
    boolean fieldsValid = config.configValues().stream().allMatch(value -> value.errorMessages().isEmpty());
    if (!fieldsValid) {
      return config;
    }
    ConnectorSettings candidate;
    try {
      candidate = new ConnectorSettings(connectorConfigs);
    } catch (ConfigException e) {
      Optional.ofNullable(byName.get(ConnectorSettings.REPOSITORIES)).ifPresent(v -> v.addErrorMessage(e.getMessage()));
      return config;
    }
    if (candidate.repositories().isEmpty()) {
      byName.get(ConnectorSettings.REPOSITORIES).addErrorMessage("name at least one repository URL");
      return config;
    }
    try {
      candidate.kinds();
    } catch (CollectorException e) {
      byName.get("kinds").addErrorMessage(e.getMessage());
      return config;
    }
    try (GitCollector collector = candidate.collectorBuilder().sink(new ConnectRecordSink(null, Map.of(), "unused",
        1024, false)).stateStore(new TaskMemoryState()).concurrency(1).build()) {
      for (String url : candidate.repositories()) {
        try {
          collector.target(url);
        } catch (CollectorException e) {
          byName.get(ConnectorSettings.REPOSITORIES).addErrorMessage(url + ": " + e.getMessage());
        }
      }
    } catch (CollectorException e) {
      byName.get(ConnectorSettings.REPOSITORIES).addErrorMessage(e.getMessage());
    }
    return config;
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.SUPPORTED;
  }
}
