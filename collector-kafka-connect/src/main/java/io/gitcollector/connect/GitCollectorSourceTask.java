package io.gitcollector.connect;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.ErrorCode;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.model.SyncCancelledException;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the repositories the connector assigned to it with the collector's engine: each incrementally every
 * {@code poll.interval.ms} from the positions in Connect's source offsets, and fully every
 * {@code full.sync.interval.ms}. It keeps no state of its own.
 *
 * <p>A repository that cannot be collected at all (not found, no permission, no adapter) is reported (a record on the
 * dead-letter topic, an error log line, the {@code repository-failures-total} metric) and the others go on; it is
 * tried again at the next poll interval, and reported again only if its reason changes. A failure of Connect to send
 * records fails the task, so Connect restarts it from its committed offsets.
 */
public final class GitCollectorSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(GitCollectorSourceTask.class);
  private static final Set<ErrorCode> PERMANENT = Set.of(ErrorCode.REPOSITORY_NOT_FOUND, ErrorCode.PERMISSION_DENIED,
      ErrorCode.MALFORMED_URL, ErrorCode.UNKNOWN_PLATFORM, ErrorCode.INVALID_CREDENTIALS,
      ErrorCode.MISSING_CREDENTIALS);
  private static final int MAX_BATCH = 2_000;
  private static final long POLL_WAIT_MILLIS = 500;

  private ConnectRecordSink sink;
  private GitCollector collector;
  private ScheduledExecutorService scheduler;
  private Optional<TransactionContext> transactions = Optional.empty();
  private TaskMetrics metrics;
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
  private final Map<String, String> reportedFailures = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean stopping;

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    ConnectorSettings settings;
    try {
      settings = new ConnectorSettings(props);
    } catch (ConfigException e) {
      throw new ConnectException("invalid configuration: " + e.getMessage(), e);
    }
    // the connector put this task's share of the repositories in its configuration
    List<String> repositories = settings.repositories();
    int taskCount = Integer.parseInt(props.getOrDefault(ConnectorSettings.TASK_COUNT, "1"));
    sink = new ConnectRecordSink(context.offsetStorageReader(), settings.topics(), settings.deadLetterTopic(),
        settings.maxRecordBytes(), settings.valueAsBytes());
    if ("connector".equalsIgnoreCase(props.get("transaction.boundary"))) {
      transactions = Optional.ofNullable(context.transactionContext());
    }
    try {
      collector = settings.collectorBuilder()
          .sink(sink)
          .stateStore(new TaskMemoryState())
          .rateLimitShare(taskCount)
          .concurrency(Math.min(64, 4 * settings.parallelRepositories()))
          .build();
    } catch (CollectorException e) {
      throw new ConnectException("invalid configuration: " + e.getMessage(), e);
    }
    metrics = TaskMetrics.register(context, failures::get, sink::deadLetters, reportedFailures::size);
    Optional<Set<EntityKind>> kinds = settings.kinds();
    scheduler = Executors.newScheduledThreadPool(settings.parallelRepositories(),
        DaemonThreads.named("git-collector-connect-sync"));
    Instant started = Instant.now();
    for (String url : repositories) {
      RepositorySchedule schedule = new RepositorySchedule(url, kinds, settings.fullSyncInterval(), started);
      scheduler.scheduleWithFixedDelay(schedule::run, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.info("collecting {} repositories every {} s (full every {}), {} task(s) share each token's rate limit",
        repositories.size(), settings.pollInterval().toSeconds(),
        settings.fullSyncInterval().map(d -> d.toSeconds() + " s").orElse("never"), taskCount);
  }

  /** One repository's syncs: incremental, or full when its full-sync time has come. */
  private final class RepositorySchedule {
    private final String url;
    private final Optional<Set<EntityKind>> kinds;
    private final Optional<Duration> fullInterval;
    private Optional<Instant> nextFull;

    RepositorySchedule(String url, Optional<Set<EntityKind>> kinds, Optional<Duration> fullInterval,
        Instant started) {
      this.url = url;
      this.kinds = kinds;
      this.fullInterval = fullInterval;
      this.nextFull = fullInterval.map(started::plus);
    }

    void run() {
      if (fatal.get() != null) {
        return;
      }
      Instant now = Instant.now();
      SyncMode mode = nextFull.filter(due -> !now.isBefore(due)).isPresent() ? SyncMode.FULL : SyncMode.INCREMENTAL;
      String repositoryId = url;
      String source = "unknown";
      try {
        GitCollector.Target target = collector.target(url);
        repositoryId = target.repositoryId();
        source = target.platformId();
        collector.sync(target, mode, kinds);
        if (mode == SyncMode.FULL) {
          nextFull = fullInterval.map(now::plus);
        }
        if (reportedFailures.remove(url) != null) {
          LOG.info("{} is collected again", repositoryId);
        }
      } catch (SyncCancelledException e) {
        LOG.debug("sync of {} stopped: {}", repositoryId, e.getMessage());
      } catch (SinkException e) {
        if (!stopping) {
          fatal.compareAndSet(null, e);
        }
      } catch (CollectorException e) {
        if (stopping) {
          LOG.debug("sync of {} ended by the task's stop: {}", repositoryId, e.getMessage());
        } else if (PERMANENT.contains(e.code())) {
          reportPermanent(url, repositoryId, source, e);
        } else {
          LOG.warn("{} sync of {} failed, tried again in the next poll interval: {}", mode, repositoryId,
              e.getMessage());
        }
      } catch (RuntimeException e) {
        if (stopping) {
          LOG.debug("sync of {} ended by the task's stop: {}", repositoryId, e.toString());
          return;
        }
        LOG.error("{} sync of {} failed unexpectedly, tried again in the next poll interval", mode, repositoryId, e);
      }
    }
  }

  private void reportPermanent(String url, String repositoryId, String source, CollectorException e) {
    String reason = e.code().name() + ": " + e.getMessage();
    if (reason.equals(reportedFailures.put(url, reason))) {
      return;
    }
    failures.incrementAndGet();
    LOG.error("{} cannot be collected; the task goes on with its other repositories and tries it again every poll"
        + " interval: {}", repositoryId, reason);
    sink.repositoryFailed(repositoryId, source, e.code().name(), e.getMessage());
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    RuntimeException failure = fatal.get();
    if (failure != null) {
      throw new ConnectException("records could not be handed to Connect: " + failure.getMessage(), failure);
    }
    List<SourceRecord> records = sink.drain(MAX_BATCH, POLL_WAIT_MILLIS);
    if (records.isEmpty()) {
      return null;
    }
    for (SourceRecord record : records) {
      // with the connector's own boundaries, a transaction ends with each page
      if (sink.closesPage(record)) {
        transactions.ifPresent(transaction -> transaction.commitTransaction(record));
      }
    }
    return records;
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    sink.sent(record);
  }

  /**
   * Asks the syncs to stop after their pages in flight and interrupts waits (a rate-limit pause) without blocking:
   * Connect calls this on another thread than {@code poll()}. The engine is closed on a thread of its own.
   */
  @Override
  public void stop() {
    stopping = true;
    GitCollector running = collector;
    ScheduledExecutorService syncs = scheduler;
    ConnectRecordSink records = sink;
    if (running != null) {
      running.stopAfterCurrentPages();
    }
    if (syncs != null) {
      syncs.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
    Thread closer = new Thread(() -> {
      try {
        if (syncs != null) {
          syncs.awaitTermination(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running != null) {
        running.close();
      } else if (records != null) {
        records.close();
      }
    }, "git-collector-connect-stop");
    closer.setDaemon(true);
    closer.start();
  }
}
