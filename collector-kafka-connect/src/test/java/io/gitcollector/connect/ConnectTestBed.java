package io.gitcollector.connect;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.kafka.KafkaSinkConfig;
import io.gitcollector.testkit.bitbucket.BitbucketSimulator;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.github.SimulatedRepository;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * What the Connect tests share: the three platforms' simulators, an in-process Connect cluster on an in-process
 * Kafka whose topics are created as operators create them (retention -1, LogAppendTime), a connector configuration,
 * and the simulators' ground truth to compare the topics with.
 */
final class ConnectTestBed implements AutoCloseable {
  static final String GITHUB_TOKEN = "ghp_connectTestToken0123456789";
  static final String GITLAB_TOKEN = "glpat-connectTestToken0123";
  static final String BITBUCKET_TOKEN = "bitbucket-connect-test-token";
  static final List<String> TOPICS = List.of("git.repositories", "git.commits", "git.pull_requests", "git.issues",
      "git.ci_runs", "git.deployments", "git.releases", KafkaSinkConfig.DEFAULT_DLQ);
  /** The kinds every platform serves from the simulators with a ground truth to compare. */
  static final String KINDS = "repository,commits,pull_requests,issues";

  final GitHubSimulator github = GitHubSimulator.builder().token(GITHUB_TOKEN).start();
  final GitLabSimulator gitlab = GitLabSimulator.start(GITLAB_TOKEN, Duration.ZERO);
  final BitbucketSimulator bitbucket = BitbucketSimulator.start(BITBUCKET_TOKEN, Duration.ZERO);
  final EmbeddedConnectCluster connect;
  /** Repository URL → its simulated state, and the repository id the collector gives it. */
  final Map<String, SimulatedRepository> repositories = new LinkedHashMap<>();
  private final Map<String, String> urlsById = new HashMap<>();

  ConnectTestBed(Map<String, String> workerProps) {
    Map<String, String> props = new HashMap<>();
    // offsets are committed every second, as a worker with a short flush interval would; the default is a minute
    props.put("offset.flush.interval.ms", "1000");
    props.putAll(workerProps);
    java.util.Properties broker = new java.util.Properties();
    // one broker: the transaction log (exactly-once) must fit on it
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    connect = new EmbeddedConnectCluster.Builder().name("git-collector-connect").numWorkers(3).numBrokers(1)
        .brokerProps(broker).workerProps(props).build();
    connect.start();
    for (String topic : TOPICS) {
      connect.kafka().createTopic(topic, 3, 1, KafkaSinkConfig.DEFAULT_TOPIC_CONFIGS);
    }
  }

  /** A GitHub, GitLab or Bitbucket repository (by {@code index % 3}) with commits, pull requests and issues. */
  String addRepository(int index, RepositorySpec spec) {
    String name = "team/repo-" + index;
    String url;
    SimulatedRepository repository;
    switch (index % 3) {
      case 0 -> {
        repository = github.addRepository(name, spec);
        url = "https://github.com/" + name;
      }
      case 1 -> {
        repository = gitlab.addProject(name, spec);
        url = gitlab.url() + "/" + name;
      }
      default -> {
        repository = bitbucket.addRepository(name, spec);
        url = "https://bitbucket.org/" + name;
      }
    }
    repositories.put(url, repository);
    urlsById.put(repositoryId(url), url);
    return url;
  }

  static RepositorySpec spec(int commits) {
    return RepositorySpec.of(commits, commits / 10, 1).withIssues(commits / 20, 1);
  }

  /** The connector's configuration as an operator would post it. */
  Map<String, String> connectorConfig(List<String> urls, int tasks) {
    Map<String, String> config = new HashMap<>();
    config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, GitCollectorSourceConnector.class.getName());
    config.put(ConnectorConfig.TASKS_MAX_CONFIG, Integer.toString(tasks));
    config.put(ConnectorConfig.KEY_CONVERTER_CLASS_CONFIG, StringConverter.class.getName());
    config.put(ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, StringConverter.class.getName());
    config.put(ConnectorSettings.REPOSITORIES, String.join(",", urls));
    config.put("kinds", KINDS);
    config.put("poll.interval.ms", "3600000");
    config.put("github.token", GITHUB_TOKEN);
    config.put("github.api.url", github.apiBaseUrl());
    config.put("gitlab.token", GITLAB_TOKEN);
    config.put("gitlab.api.url", gitlab.url());
    config.put("bitbucket.token", BITBUCKET_TOKEN);
    config.put("bitbucket.api.url", bitbucket.apiBaseUrl());
    return config;
  }

  /** Every record of a topic, read to its end (for read_committed: its last stable offset). */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic, boolean committedOnly) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The envelopes of every envelope topic. */
  List<Envelope> envelopes(boolean committedOnly) {
    List<Envelope> envelopes = new ArrayList<>();
    for (String topic : TOPICS) {
      if (!topic.equals(KafkaSinkConfig.DEFAULT_DLQ)) {
        readAll(topic, committedOnly).forEach(record -> envelopes.add(EnvelopeCodec.fromJson(record.value())));
      }
    }
    return envelopes;
  }

  /** {@code <repository url> <kind> <key>} of every entity the simulators hold for these repositories. */
  Set<String> groundTruth(java.util.Collection<String> urls) {
    Set<String> expected = new TreeSet<>();
    for (String url : urls) {
      SimulatedRepository repository = repositories.get(url);
      expected.add(url + " REPOSITORY");
      repository.commitShas().forEach(sha -> expected.add(url + " COMMIT " + sha));
      repository.pullRequestVersions().keySet().forEach(n -> expected.add(url + " PULL_REQUEST " + n));
      repository.issueVersions().keySet().forEach(n -> expected.add(url + " ISSUE " + n));
    }
    return expected;
  }

  /** The same lines for what the topics hold (the repository's own key is its platform id, so it is left out). */
  Set<String> collected(List<Envelope> envelopes) {
    Set<String> actual = new TreeSet<>();
    for (Envelope envelope : envelopes) {
      String url = urlsById.getOrDefault(envelope.repositoryId(), envelope.repositoryId());
      actual.add(envelope.kind() == EntityKind.REPOSITORY ? url + " REPOSITORY"
          : url + " " + envelope.kind().name() + " " + envelope.data().key());
    }
    return actual;
  }

  /** How many envelopes were written more than once (the same event id). */
  static long duplicates(List<Envelope> envelopes) {
    Set<String> seen = new HashSet<>();
    return envelopes.stream().filter(envelope -> !seen.add(envelope.eventId())).count();
  }

  /** The repository id the collector gives a URL, asked of an engine configured like the connector. */
  String repositoryId(String url) {
    try (io.gitcollector.core.engine.GitCollector collector = new ConnectorSettings(connectorConfig(List.of(url), 1))
        .collectorBuilder().sink(new ConnectRecordSink(null, Map.of(), "unused", 1024, false))
        .stateStore(new TaskMemoryState()).build()) {
      return collector.repositoryId(url);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connect.stop();
    github.close();
    gitlab.close();
    bitbucket.close();
  }
}
