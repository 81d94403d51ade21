package io.gitcollector.core.engine;

import io.gitcollector.core.spi.toolkit.DaemonThreads;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.gitcollector.core.engine.internal.CollectionPlanner;
import io.gitcollector.core.engine.internal.CollectorMetrics;
import io.gitcollector.core.engine.internal.GovernedCallExecutor;
import io.gitcollector.core.engine.internal.RateLimitGovernor;
import io.gitcollector.core.engine.internal.OrganizationListings;
import io.gitcollector.core.engine.internal.TokenPool;
import io.gitcollector.core.engine.internal.ServiceRegistry;
import io.gitcollector.core.engine.internal.Sleeper;
import io.gitcollector.core.engine.internal.StateKeys;
import io.gitcollector.core.jsonl.JsonLinesSink;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RepositoryDeleted;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.RepositoryRenamed;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.model.SyncCancelledException;
import io.gitcollector.core.model.SyncInProgressException;
import io.gitcollector.core.model.UnknownPlatformException;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.StateStore;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.state.FileStateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.LoggerFactory;

/**
 * The embedder's entry point: collects repositories from any platform whose adapter is on the classpath into a sink,
 * keeping cursors in a state store.
 *
 * <pre>{@code
 * try (GitCollector collector = GitCollector.builder()
 *     .credentials("github", Secret.of(System.getenv("GITHUB_TOKEN")))
 *     .dataDirectory(Path.of("collector-data"))
 *     .build()) {
 *   SyncResult result = collector.sync("https://github.com/octocat/Hello-World", SyncMode.INCREMENTAL);
 * }
 * }</pre>
 *
 * <p>Guarantees: a cursor is saved only after the sink acknowledged every envelope before it; one sync per repository
 * runs at a time; requests are paced by the platforms' rate-limit budgets.
 */
public final class GitCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitCollector.class);

  private final ServiceRegistry<PlatformProvider> platforms;
  private final Map<String, PlatformConfig> platformConfigs;
  private final Sink sink;
  private final StateStore stateStore;
  private final CollectorMetrics metrics;
  private final SyncListeners listener = new SyncListeners();
  private final RateLimitGovernor governor;
  private final CircuitBreakerRegistry circuitBreakers;
  private final RetryConfig retryConfig;
  private final int concurrency;
  private final int pipelineDepth;
  private final Optional<Set<EntityKind>> kinds;
  private final ExecutorService streamExecutor;
  /** Logging context of a collection: its repository, and on a stream's thread the stream. */
  public static final String REPOSITORY_MDC = "repository_id";
  public static final String STREAM_MDC = "stream";
  private final Map<String, OpenClient> clients = new ConcurrentHashMap<>();
  private final Map<String, TokenPool> pools = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> repositoryLocks = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  private GitCollector(Builder builder) {
    this.platforms = builder.providers != null
        ? new ServiceRegistry<>("platform", builder.providers, PlatformProvider::id)
        : ServiceRegistry.load("platform", PlatformProvider.class, builder.classLoader, PlatformProvider::id);
    for (String configured : builder.platformConfigs.keySet()) {
      if (platforms.find(configured).isEmpty()) {
        throw new UnknownPlatformException("platform '" + configured + "' is configured but no adapter for it is on"
            + " the classpath; installed: " + platforms.ids());
      }
    }
    builder.platformConfigs.forEach((id, config) -> checkSettings(platforms.find(id).orElseThrow(), config));
    this.platformConfigs = Map.copyOf(builder.platformConfigs);
    Path dataDirectory = builder.dataDirectory;
    this.sink = builder.sink != null ? builder.sink : new JsonLinesSink(dataDirectory);
    this.stateStore = builder.stateStore != null ? builder.stateStore : new FileStateStore(dataDirectory.resolve("state"));
    this.metrics = new CollectorMetrics(builder.meterRegistry != null ? builder.meterRegistry : new SimpleMeterRegistry());
    listener.add(builder.listener);
    this.governor = new RateLimitGovernor(Clock.systemUTC(), builder.sleeper, builder.maxRateLimitWait,
        (wait, reason) -> {
          listener.waiting("", wait, reason);
          LOG.info("waiting {} ms: {}", wait.toMillis(), reason);
        }, builder.rateLimitSharers);
    this.circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
        .failureRateThreshold(50)
        .slidingWindowSize(50)
        .minimumNumberOfCalls(20)
        .waitDurationInOpenState(builder.circuitOpenDuration)
        .recordExceptions(GovernedCallExecutor.TransientCallException.class)
        .build());
    this.retryConfig = RetryConfig.custom()
        .maxAttempts(builder.maxAttempts)
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(builder.initialBackoff, 2.0, 0.5,
            builder.maxBackoff))
        .retryExceptions(GovernedCallExecutor.TransientCallException.class)
        .build();
    this.concurrency = builder.concurrency;
    this.pipelineDepth = builder.pipelineDepth;
    this.kinds = builder.kinds;
    this.streamExecutor = Executors.newFixedThreadPool(concurrency, DaemonThreads.named("git-collector-stream"));
    for (PlatformProvider provider : platforms.all()) {
      // each platform's meters exist from start-up, at zero
      metrics.platform(provider.id(), provider.kinds().stream().map(kind -> StreamKind.of(kind).key()).distinct()
          .toList());
      poolOf(provider.id(), configOf(provider.id()));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every setting of an embedder's platform configuration checked against the adapter's declarations: a malformed
   * value, or (for an adapter that declares its settings) a key it does not know, stops with a message naming it.
   */
  private static void checkSettings(PlatformProvider provider, PlatformConfig config) {
    Map<String, io.gitcollector.core.spi.Setting> declared = new LinkedHashMap<>();
    SettingsCatalog.platformSettings(provider).forEach(setting -> declared.put(setting.name(), setting));
    config.settings().forEach((key, value) -> {
      io.gitcollector.core.spi.Setting setting = declared.get(key);
      String shown = "setting '" + key + "' of platform " + provider.id();
      if (setting != null) {
        setting.check(value, shown);
      } else if (!provider.settings().isEmpty()) {
        throw new InvalidConfigurationException("unknown " + shown + "; it declares " + declared.keySet());
      }
    });
  }

  /** Ids of the platforms whose adapters were found. */
  public List<String> platformIds() {
    return platforms.ids();
  }

  /**
   * The repository id a URL maps to, e.g. {@code github:github.com/octocat/hello-world}.
   *
   * @throws io.gitcollector.core.model.MalformedRepositoryUrlException if the URL cannot be read
   * @throws UnknownPlatformException if no installed platform serves its host
   */
  public String repositoryId(String url) {
    return target(url).repositoryId();
  }

  /** A repository resolved to the platform whose adapter serves it, and its id there. */
  public record Target(String platformId, RepositoryRef repository, String repositoryId) {
    public Target {
      Objects.requireNonNull(platformId, "platformId");
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(repositoryId, "repositoryId");
    }
  }

  /**
   * The repository a URL names, resolved to the first installed platform that serves it.
   *
   * @throws io.gitcollector.core.model.MalformedRepositoryUrlException if the URL cannot be read
   * @throws UnknownPlatformException if no installed platform serves its host
   */
  public Target target(String url) {
    RepositoryRef ref = RepositoryRef.parse(url);
    String platformId = resolve(ref).id();
    return new Target(platformId, ref, ref.repositoryId(platformId));
  }

  /**
   * The repository as the named platform serves it, without looking at any other (a webhook names its platform).
   *
   * @throws UnknownPlatformException if there is no such adapter, or it does not serve the repository
   */
  public Target target(String platformId, RepositoryRef repository) {
    PlatformProvider provider = platforms.find(platformId).orElseThrow(() -> new UnknownPlatformException(
        "no platform adapter with id '" + platformId + "'; installed: " + platforms.ids()));
    if (!provider.accepts(repository, configOf(platformId))) {
      throw new UnknownPlatformException("the " + platformId + " adapter does not serve " + repository);
    }
    return new Target(platformId, repository, repository.repositoryId(platformId));
  }

  /** An organization (group, workspace) resolved to the platform whose adapter lists it, and its id there. */
  public record OrganizationTarget(String platformId, OrganizationRef organization, String organizationId) {
    public OrganizationTarget {
      Objects.requireNonNull(platformId, "platformId");
      Objects.requireNonNull(organization, "organization");
      Objects.requireNonNull(organizationId, "organizationId");
    }
  }

  /**
   * The organization, group or workspace a URL names ({@code https://github.com/ORG}), resolved to the first installed
   * platform that lists it.
   *
   * @throws io.gitcollector.core.model.MalformedRepositoryUrlException if the URL cannot be read
   * @throws UnknownPlatformException if no installed platform lists organizations on its host
   */
  public OrganizationTarget organization(String url) {
    OrganizationRef ref = OrganizationRef.parse(url);
    for (PlatformProvider provider : platforms.all()) {
      if (provider.acceptsOrganization(ref, configOf(provider.id()))) {
        return new OrganizationTarget(provider.id(), ref, ref.organizationId(provider.id()));
      }
    }
    throw new UnknownPlatformException("no platform adapter lists organizations at '" + ref
        + "'; installed: " + platforms.ids() + ". GitHub and Bitbucket organizations are one path segment"
        + " (https://github.com/ORG), GitLab groups any depth; set the platform's API URL for a self-hosted instance");
  }

  /**
   * Lists an organization's repositories and tells what changed since the previous pass; each page is asked for with
   * its last ETag, so an unchanged organization costs no rate-limit points where the platform honours them.
   * Repositories that left the listing are looked up once to tell a deletion from a move.
   *
   * @throws io.gitcollector.core.model.RepositoryNotFoundException if the credentials cannot see the organization
   */
  public Discovery discover(OrganizationTarget target, RepositoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    PlatformProvider provider = platforms.find(target.platformId()).orElseThrow(() -> new UnknownPlatformException(
        "no platform adapter with id '" + target.platformId() + "'; installed: " + platforms.ids()));
    try {
      long[] requests = new long[1];
      long started = System.nanoTime();
      Discovery pass = withPooledToken(provider, target.organizationId(), client -> {
        long before = client.executor.requests();
        try {
          return new OrganizationListings(stateStore).discover(client.client, target.organization(),
              target.organizationId(), filter);
        } finally {
          requests[0] += client.executor.requests() - before;
        }
      });
      return new Discovery(pass.organizationId(), pass.listed(), pass.selected(), pass.added(), pass.renamed(),
          pass.archived(), pass.departed(), pass.pages(), pass.unchangedPages(), requests[0],
          Duration.ofNanos(System.nanoTime() - started));
    } catch (UnsupportedOperationException e) {
      throw new InvalidConfigurationException("the " + provider.id() + " adapter cannot list organizations: "
          + e.getMessage());
    }
  }

  /**
   * Acts on what a discovery pass found, then makes its listing the one the next pass is compared with: each rename
   * and move out is announced ({@code repository_renamed}, under the new repository id) and the repository's cursors
   * follow it to its new id, so that collecting it goes on where it stopped; each deletion is announced
   * ({@code repository_deleted}). Every announcement is acknowledged by the sink before the listing moves on, so a
   * crash in between announces again (under the same event ids) rather than never.
   */
  public void settle(OrganizationTarget target, Discovery discovery) {
    Objects.requireNonNull(discovery, "discovery");
    String platformId = target.platformId();
    Instant now = Instant.now();
    for (Discovery.Renamed rename : discovery.renamed()) {
      moved(platformId, rename.after().platformId(), rename.before().repository(), rename.after().repository(), now);
    }
    for (Discovery.Departure departure : discovery.departed()) {
      RepositoryRef was = departure.repository().repository();
      if (departure.reason() == Discovery.Departure.Reason.MOVED_OUT && departure.movedTo().isPresent()) {
        moved(platformId, departure.repository().platformId(), was, departure.movedTo().get(), now);
      } else {
        announce(platformId, was.repositoryId(platformId), new RepositoryDeleted(departure.repository().platformId(),
            was.path(), now));
      }
    }
    new OrganizationListings(stateStore).acknowledge(discovery);
  }

  /**
   * Estimates what collecting the repositories a discovery pass selected costs in {@code mode}: requests, rate-limit
   * points per token of the pool, and wall time at this collector's concurrency (see {@link CollectionPlan}). Nothing
   * is requested: the plan is made from the pass, the state and the budgets the platform announced.
   */
  public CollectionPlan plan(OrganizationTarget target, Discovery discovery, SyncMode mode) {
    return plan(target, discovery, mode, kinds);
  }

  /** The same, for syncs that collect only {@code selected} kinds (empty: every kind the platform serves). */
  public CollectionPlan plan(OrganizationTarget target, Discovery discovery, SyncMode mode,
      Optional<Set<EntityKind>> selected) {
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(selected, "selected");
    String platformId = target.platformId();
    PlatformProvider provider = platforms.find(platformId).orElseThrow(() -> new UnknownPlatformException(
        "no platform adapter with id '" + platformId + "'; installed: " + platforms.ids()));
    PlatformConfig config = configOf(platformId);
    TokenPool pool = poolOf(platformId, config);
    int streams = (int) selected.orElseGet(() -> Set.copyOf(EntityKind.collectedKinds())).stream()
        .filter(provider.kinds()::contains).count();
    List<CollectionPlanner.Item> items = discovery.selected().stream().map(repository -> {
      String repositoryId = repository.repository().repositoryId(platformId);
      return new CollectionPlanner.Item(repositoryId, repository.sizeKb(),
          stateStore.get(StateKeys.fullSyncCostKey(repositoryId)).map(Long::parseLong),
          status(repositoryId).lastSync().isPresent());
    }).toList();
    Map<String, Secret> byFingerprint = new HashMap<>();
    pool.live().forEach(token -> byFingerprint.put(token.fingerprint(), token));
    Duration latency = discovery.requests() == 0 ? Duration.ZERO
        : discovery.elapsed().dividedBy(discovery.requests());
    return CollectionPlanner.plan(discovery.organizationId(), mode, items, streams,
        repositoryId -> pool.pick(repositoryId, t -> Optional.empty(), Instant.now()).map(Secret::fingerprint)
            .orElse("anonymous"),
        fingerprint -> governor.tightest(budgetPrefix(platformId, config,
            Optional.ofNullable(byFingerprint.get(fingerprint))) + "|"),
        latency, concurrency, Instant.now());
  }

  private void moved(String platformId, String platformRepositoryId, RepositoryRef from, RepositoryRef to,
      Instant now) {
    String fromId = from.repositoryId(platformId);
    String toId = to.repositoryId(platformId);
    announce(platformId, toId, new RepositoryRenamed(platformRepositoryId, fromId, from.path(), to.path(), to.webUrl(),
        now));
    StateKeys.moveRepository(stateStore, fromId, toId);
    if (sink instanceof PositionedSink positioned) {
      positioned.moveRepository(fromId, toId);
    }
  }

  private void announce(String platformId, String repositoryId, Entity event) {
    deliver(repositoryId, StreamKind.of(event.kind()), List.of(Envelope.of(platformId, repositoryId, event)));
    metrics.envelopes(platformId, StreamKind.of(event.kind()).key(), 1);
  }

  /**
   * Collects one repository: its metadata, commits, pull requests and contributors, each stream from its last
   * acknowledged cursor. A stream whose previous pass was interrupted resumes where it stopped, in either mode;
   * FULL otherwise starts each stream over, INCREMENTAL asks only for what changed since the last completed pass.
   *
   * @throws CollectorException with a precise message and {@link CollectorException#code()}; cursors of streams that
   *     failed stay where the sink last acknowledged
   */
  public SyncResult sync(String url, SyncMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (stopping) {
      throw new SyncCancelledException("the collector is shutting down; sync of " + url + " not started");
    }
    return sync(target(url), mode);
  }

  /** The same, for a repository already resolved to its platform, with the kinds the collector was built with. */
  public SyncResult sync(Target target, SyncMode mode) {
    return sync(target, mode, kinds);
  }

  /**
   * The same, collecting only {@code selected} kinds (empty: every kind the platform serves). A selected kind the
   * platform does not serve is skipped and named in the result; streams not selected keep their cursors.
   */
  public SyncResult sync(Target target, SyncMode mode, Optional<Set<EntityKind>> selected) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(selected, "selected");
    if (stopping) {
      throw new SyncCancelledException("the collector is shutting down; sync of " + target.repositoryId()
          + " not started");
    }
    RepositoryRef ref = target.repository();
    PlatformProvider provider = platforms.find(target.platformId()).orElseThrow();
    String repositoryId = target.repositoryId();
    ReentrantLock lock = repositoryLocks.computeIfAbsent(repositoryId, id -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new SyncInProgressException("a sync of " + repositoryId + " is already running");
    }
    Instant started = Instant.now();
    SyncStatus previous = status(repositoryId);
    // every line logged while this collection runs names its repository (its streams' threads too)
    String callerRepository = MDC.get(REPOSITORY_MDC);
    MDC.put(REPOSITORY_MDC, repositoryId);
    try {
      LOG.info("collection of {} started: {}, kinds {}", repositoryId, mode.name().toLowerCase(java.util.Locale.ROOT),
          selected.map(chosen -> chosen.stream().map(EntityKind::stream).sorted().toList().toString())
              .orElse("all"));
      StateKeys.saveStatus(stateStore, new SyncStatus(repositoryId, SyncStatus.State.RUNNING, previous.lastSync(),
          Optional.of(started), Optional.empty(), previous.lastCounts()));
      long[] requests = new long[1];
      // never started before (an interrupted first sync leaves its start): this sync reads everything
      boolean fromNothing = previous.lastStarted().isEmpty();
      Optional<Instant> fullPassStart = Optional.empty();
      if (mode == SyncMode.FULL) {
        // a full pass interrupted earlier is resumed, not restarted: streams it already completed stay done
        fullPassStart = StateKeys.fullPassStart(stateStore, repositoryId);
        if (fullPassStart.isEmpty()) {
          fullPassStart = Optional.of(started);
          stateStore.put(StateKeys.fullPassKey(repositoryId), started.toString());
        }
      }
      Set<EntityKind> wanted = selected.orElseGet(() -> Set.copyOf(EntityKind.collectedKinds()));
      Set<EntityKind> served = wanted.stream().filter(provider.kinds()::contains).collect(Collectors.toSet());
      Optional<Instant> passStart = fullPassStart;
      listener.collectionStarted(repositoryId, mode, served);
      Map<StreamKind, Long> delivered = withPooledToken(provider, repositoryId, client -> {
        long before = client.executor.requests();
        try {
          return runStreams(provider, client.client, ref, repositoryId, served, mode, passStart);
        } finally {
          requests[0] += client.executor.requests() - before;
        }
      });
      stateStore.remove(StateKeys.fullPassKey(repositoryId));
      if (fromNothing || mode == SyncMode.FULL && passStart.equals(Optional.of(started))) {
        // a whole pass over everything (not the end of an interrupted one): what planning takes it to cost
        stateStore.put(StateKeys.fullSyncCostKey(repositoryId), Long.toString(requests[0]));
      }
      Duration took = Duration.between(started, Instant.now());
      Map<String, Long> counts = new LinkedHashMap<>();
      delivered.forEach((stream, count) -> counts.put(stream.key(), count));
      StateKeys.saveStatus(stateStore, new SyncStatus(repositoryId, SyncStatus.State.COMPLETED,
          Optional.of(Instant.now()), Optional.of(started), Optional.empty(), counts));
      metrics.collection(provider.id(), mode.name().toLowerCase(java.util.Locale.ROOT), "success", took);
      List<String> skipped = EntityKind.collectedKinds().stream().filter(kind -> wanted.contains(kind) && !served.contains(kind))
          .map(EntityKind::name).toList();
      LOG.info("collection of {} completed: {}, {} envelopes {}, {} requests, {} ms", repositoryId,
          mode.name().toLowerCase(java.util.Locale.ROOT), counts.values().stream().mapToLong(Long::longValue).sum(),
          counts, requests[0], took.toMillis());
      listener.collectionEnded(repositoryId, Optional.empty());
      return new SyncResult(repositoryId, mode, delivered, requests[0], took,
          skipped);
    } catch (CollectorException e) {
      recordFailure(provider.id(), repositoryId, mode, started, previous, e);
      throw e;
    } catch (RuntimeException e) {
      recordFailure(provider.id(), repositoryId, mode, started, previous, e);
      throw new PlatformUnavailableException("sync of " + repositoryId + " failed: " + e, e);
    } finally {
      lock.unlock();
      if (callerRepository == null) {
        MDC.remove(REPOSITORY_MDC);
      } else {
        MDC.put(REPOSITORY_MDC, callerRepository);
      }
    }
  }

  /**
   * Verifies and reads a webhook delivery with the adapter of {@code platformId}.
   *
   * @throws UnknownPlatformException if no adapter has that id
   * @throws io.gitcollector.core.model.InvalidWebhookException if the signature or token is wrong, or the body
   *     cannot be read
   */
  public WebhookEvent parseWebhook(String platformId, WebhookDelivery delivery, Optional<Secret> secret) {
    PlatformProvider provider = platforms.find(platformId).orElseThrow(() -> new UnknownPlatformException(
        "no platform adapter with id '" + platformId + "'; installed: " + platforms.ids()));
    return provider.webhooks().map(webhooks -> webhooks.reader().read(delivery, secret))
        .orElseGet(() -> clientFor(provider).client.parseWebhook(delivery, secret));
  }

  /**
   * The header that authenticates a platform's webhook deliveries, so a server can refuse one without it before
   * reading its body; empty for a platform that does not say, or an unknown one.
   */
  public Optional<String> webhookAuthenticationHeader(String platformId) {
    return platforms.find(platformId).flatMap(PlatformProvider::webhookAuthenticationHeader);
  }

  /** Fetches one pull request again and delivers it: {@link #refresh} of a pull request. */
  public boolean refreshPullRequest(String url, long number) {
    return refreshPullRequest(target(url), number);
  }

  /** The same, for a repository already resolved to its platform. */
  public boolean refreshPullRequest(Target target, long number) {
    return refresh(target, io.gitcollector.core.model.EntityRef.pullRequest(number));
  }

  /**
   * Fetches one entity again and delivers it, for webhook-triggered updates (a pull request, an issue, a CI run, …).
   * Cursors are left alone: the next incremental sync still walks from its own watermark, and sees the same version
   * under the same event id.
   *
   * @return whether the platform still has the entity
   */
  public boolean refresh(Target target, io.gitcollector.core.model.EntityRef entity) {
    PlatformProvider provider = platforms.find(target.platformId()).orElseThrow();
    String repositoryId = target.repositoryId();
    StreamKind stream = StreamKind.of(entity.kind());
    Optional<? extends io.gitcollector.core.model.Entity> fetched = provider.kinds().contains(entity.kind())
        ? clientFor(provider, repositoryId).client.fetch(target.repository(), entity) : Optional.empty();
    fetched.ifPresent(found -> {
      deliver(repositoryId, stream, List.of(Envelope.of(provider.id(), repositoryId, found)));
      metrics.envelopes(provider.id(), stream.key(), 1);
    });
    return fetched.isPresent();
  }

  /**
   * The repository a state-store key of the engine belongs to (its cursors, status, full-pass mark), so that a store
   * wrapping the engine's (the server's lease fencing) knows which writes are a repository's.
   */
  public static Optional<String> repositoryOfStateKey(String key) {
    return StateKeys.repositoryOf(key);
  }

  /** The state-store key under which a repository's activity per day is kept (it moves with renames). */
  public static String activityStateKey(String repositoryId) {
    return StateKeys.activityKey(repositoryId);
  }

  /**
   * Every rate-limit budget the platforms announced to this collector, per platform, API, token and resource; empty
   * until the first response that announces one.
   */
  public List<TokenBudget> budgets() {
    List<TokenBudget> budgets = new ArrayList<>();
    governor.announced().forEach((key, view) -> {
      // <platform>|<api>|<token fingerprint>|<resource>; the API URL may hold anything but the fingerprint cannot
      int first = key.indexOf('|');
      int last = key.lastIndexOf('|');
      int tokenStart = key.lastIndexOf('|', last - 1);
      if (first > 0 && tokenStart > first) {
        budgets.add(new TokenBudget(key.substring(0, first), key.substring(first + 1, tokenStart),
            key.substring(tokenStart + 1, last), key.substring(last + 1), view.limit(), view.remaining(),
            view.reset()));
      }
    });
    return budgets;
  }

  /**
   * Adds a listener to the one the collector was built with (a server's status page, say); it hears of collections
   * that start from now on. A listener that throws is logged and passed over.
   */
  public void addListener(SyncListener added) {
    listener.add(Objects.requireNonNull(added, "listener"));
  }

  /** The status of every repository this collector's state store knows, by repository id. */
  public Map<String, SyncStatus> statuses() {
    return StateKeys.loadStatuses(stateStore);
  }

  /** The status of a repository by id, {@link SyncStatus.State#IDLE} if it was never synced. */
  public SyncStatus status(String repositoryId) {
    return StateKeys.loadStatus(stateStore, repositoryId).orElseGet(() -> SyncStatus.idle(repositoryId));
  }

  public Sink sink() {
    return sink;
  }

  public StateStore stateStore() {
    return stateStore;
  }

  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * Asks running syncs to stop at their next page boundary: the page in flight is delivered and its cursor saved, then
   * the sync ends with a {@link io.gitcollector.core.model.SyncCancelledException}. New syncs are refused.
   */
  public void stopAfterCurrentPages() {
    stopping = true;
  }

  /** Stops the stream threads, closes platform clients, the sink (flushing it) and the state store. */
  @Override
  public void close() {
    streamExecutor.shutdownNow();
    try {
      streamExecutor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clients.values().forEach(open -> open.client.close());
    clients.clear();
    sink.close();
    stateStore.close();
  }

  private void recordFailure(String platformId, String repositoryId, SyncMode mode, Instant started,
      SyncStatus previous, RuntimeException error) {
    // info: the embedding application reports the failure as it sees fit (the CLI in one line, the server at warn)
    LOG.info("collection of {} failed after {} ms: {}", repositoryId,
        Duration.between(started, Instant.now()).toMillis(), error.getMessage());
    metrics.collection(platformId, mode.name().toLowerCase(java.util.Locale.ROOT), "failure",
        Duration.between(started, Instant.now()));
    try {
      StateKeys.saveStatus(stateStore, new SyncStatus(repositoryId, SyncStatus.State.FAILED, previous.lastSync(),
          Optional.of(started), Optional.of(String.valueOf(error.getMessage())), previous.lastCounts()));
    } catch (CollectorException statusFailure) {
      error.addSuppressed(statusFailure);
    }
    listener.collectionEnded(repositoryId, Optional.of(String.valueOf(error.getMessage())));
  }

  private PlatformProvider resolve(RepositoryRef ref) {
    for (PlatformProvider provider : platforms.all()) {
      if (provider.accepts(ref, configOf(provider.id()))) {
        return provider;
      }
    }
    throw new UnknownPlatformException("no platform adapter accepts host '" + ref.host() + "' (repository "
        + ref + "); installed: " + platforms.ids()
        + ". Add the adapter's jar, or set the platform's API URL for a self-hosted instance");
  }

  private PlatformConfig configOf(String platformId) {
    return platformConfigs.getOrDefault(platformId, PlatformConfig.empty());
  }

  private OpenClient clientFor(PlatformProvider provider) {
    return clientFor(provider, "");
  }

  /**
   * The client of the token {@code key} (a repository id, an organization id) is pinned to: one client, with its own
   * rate-limit budgets, per token of the platform's pool.
   */
  private OpenClient clientFor(PlatformProvider provider, String key) {
    PlatformConfig config = configOf(provider.id());
    TokenPool pool = poolOf(provider.id(), config);
    Optional<Secret> token = pool.pick(key, t -> governor.blockedUntil(budgetPrefix(provider.id(), config,
        Optional.of(t)) + "|"), Instant.now());
    return clients.computeIfAbsent(provider.id() + "|" + token.map(Secret::fingerprint).orElse("anonymous"),
        k -> openClient(provider, config.withOnly(token)));
  }

  private TokenPool poolOf(String platformId, PlatformConfig config) {
    return pools.computeIfAbsent(platformId, id -> {
      TokenPool created = new TokenPool(config.tokens(), config.duration(PlatformProvider.TOKEN_SWITCH_AFTER));
      metrics.tokenPool(id, created::size, created::refusedCount);
      return created;
    });
  }

  /**
   * Runs {@code work} with the client of the key's token; when the platform refuses that token (401) and the pool
   * has others, the token leaves the pool (its keys move to the others, the ETags their cursors hold then cost one
   * full answer each) and the work runs once more with the key's new token.
   */
  private <T> T withPooledToken(PlatformProvider provider, String key, java.util.function.Function<OpenClient, T> work) {
    OpenClient client = clientFor(provider, key);
    try {
      return work.apply(client);
    } catch (CollectorException e) {
      TokenPool pool = pools.get(provider.id());
      if (e.code() != io.gitcollector.core.model.ErrorCode.INVALID_CREDENTIALS || client.token.isEmpty()
          || pool == null || !pool.refuse(client.token.get())) {
        throw e;
      }
      LOG.warn("{} refused the token with fingerprint {} ({}); it leaves the pool, its repositories move to the {}"
          + " other token(s)", provider.id(), client.token.get().fingerprint(), e.getMessage(), pool.live().size());
      return work.apply(clientFor(provider, key));
    }
  }

  private static String budgetPrefix(String platformId, PlatformConfig config, Optional<Secret> token) {
    return platformId + "|" + config.apiBaseUrl().orElse("default") + "|"
        + token.map(Secret::fingerprint).orElse("anonymous");
  }

  private OpenClient openClient(PlatformProvider provider, PlatformConfig config) {
    String id = provider.id();
    String budgetPrefix = budgetPrefix(id, config, config.token());
    CircuitBreaker breaker = circuitBreakers.circuitBreaker(id + "@" + config.apiBaseUrl().orElse("default"));
    ApiOrigins origins = provider.apiOrigins(config);
    GovernedCallExecutor executor = new GovernedCallExecutor(id, budgetPrefix,
        config.token().map(Secret::fingerprint).orElse("anonymous"), governor,
        Retry.of(id, retryConfig), breaker, metrics, listener::rateLimit, origins);
    int hint = concurrency;
    PlatformClient client = provider.create(config, new PlatformContext() {
      @Override
      public RemoteCallExecutor calls() {
        return executor;
      }

      @Override
      public ApiOrigins apiOrigins() {
        return origins;
      }

      @Override
      public int concurrency() {
        return hint;
      }
    });
    return new OpenClient(client, executor, config.token());
  }

  /** One stream per kind the platform serves, in parallel. */
  private Map<StreamKind, Long> runStreams(PlatformProvider provider, PlatformClient client, RepositoryRef ref,
      String repositoryId, Set<EntityKind> served, SyncMode mode, Optional<Instant> fullPassStart) {
    String platformId = provider.id();
    Map<StreamKind, Future<Long>> futures = new LinkedHashMap<>();
    Map<String, String> context = MDC.getCopyOfContextMap();
    for (StreamKind stream : StreamKind.of(served)) {
      futures.put(stream, streamExecutor.submit(() -> {
        // the stream's thread logs with the collection's context and the stream's name
        if (context != null) {
          MDC.setContextMap(context);
        }
        MDC.put(STREAM_MDC, stream.key());
        try {
          return runStream(platformId, client, ref, repositoryId, stream, mode, fullPassStart);
        } finally {
          MDC.clear();
        }
      }));
    }
    Map<StreamKind, Long> delivered = new LinkedHashMap<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (Map.Entry<StreamKind, Future<Long>> entry : futures.entrySet()) {
      try {
        delivered.put(entry.getKey(), entry.getValue().get());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        failures.add(cause instanceof RuntimeException runtime ? runtime
            : new PlatformUnavailableException(entry.getKey().key() + " stream failed: " + cause, cause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.values().forEach(f -> f.cancel(true));
        throw new PlatformUnavailableException("sync of " + repositoryId + " was interrupted", e);
      } catch (CancellationException e) {
        failures.add(new PlatformUnavailableException("sync of " + repositoryId + " was cancelled", e));
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    return delivered;
  }

  private long runStream(String platformId, PlatformClient client, RepositoryRef ref, String repositoryId,
      StreamKind stream, SyncMode mode, Optional<Instant> fullPassStart) {
    Optional<StreamCheckpoint> checkpoint = sink instanceof PositionedSink positioned
        ? positioned.position(repositoryId, stream)
        : StateKeys.loadCheckpoint(stateStore, repositoryId, stream);
    StreamRequest request;
    if (checkpoint.isEmpty()) {
      request = StreamRequest.start(mode);
    } else if (!checkpoint.get().complete()) {
      request = new StreamRequest(mode, Optional.of(checkpoint.get().cursor()));
    } else if (mode == SyncMode.INCREMENTAL) {
      request = new StreamRequest(SyncMode.INCREMENTAL, Optional.of(checkpoint.get().cursor()));
    } else if (fullPassStart.isPresent() && !checkpoint.get().savedAt().isBefore(fullPassStart.get())) {
      // completed within the full pass being resumed: only what changed since
      request = new StreamRequest(SyncMode.INCREMENTAL, Optional.of(checkpoint.get().cursor()));
    } else {
      request = StreamRequest.start(SyncMode.FULL);
    }
    AtomicLong total = new AtomicLong();
    // pages are fetched and handed to the sink while earlier ones await their acknowledgement; cursors are saved
    // strictly in page order, each only once its page and every page before it were acknowledged
    Deque<InFlight> inFlight = new ArrayDeque<>();
    boolean previousComplete = checkpoint.map(StreamCheckpoint::complete).orElse(false);
    while (true) {
      Page<? extends Entity> page = client.stream(stream.kind(), ref, request);
      List<Envelope> envelopes = new ArrayList<>(page.items().size());
      for (Entity entity : page.items()) {
        envelopes.add(Envelope.of(platformId, repositoryId, entity));
      }
      boolean unchanged = request.cursor().map(page.cursor()::equals).orElse(false)
          && page.items().isEmpty() && previousComplete == page.last();
      StreamCheckpoint after = new StreamCheckpoint(page.cursor(), page.last());
      CompletableFuture<Void> acknowledged = CompletableFuture.completedFuture(null);
      if (sink instanceof PositionedSink positioned) {
        if (!unchanged) {
          acknowledged = publish(() -> positioned.publish(repositoryId, stream, envelopes, after));
        }
      } else if (!envelopes.isEmpty()) {
        acknowledged = publish(() -> sink.publish(envelopes));
      }
      inFlight.add(new InFlight(acknowledged, after, page.items(), page.remaining(), unchanged));
      while (inFlight.size() >= pipelineDepth || (page.last() && !inFlight.isEmpty())) {
        settle(platformId, repositoryId, stream, inFlight.poll(), total);
      }
      if (page.last()) {
        return total.get();
      }
      if (stopping) {
        while (!inFlight.isEmpty()) {
          settle(platformId, repositoryId, stream, inFlight.poll(), total);
        }
        throw new SyncCancelledException(stream.key() + " of " + repositoryId + " stopped for shutdown after "
            + total.get() + " envelopes; the next sync resumes after the last delivered page");
      }
      request = request.resumeAfter(page.cursor());
    }
  }

  /** A page handed to the sink, with the checkpoint to save once the sink acknowledged it. */
  private record InFlight(CompletableFuture<Void> acknowledged, StreamCheckpoint checkpoint,
      List<? extends Entity> entities, java.util.OptionalLong remaining, boolean unchanged) {
    int items() {
      return entities.size();
    }
  }

  private void settle(String platformId, String repositoryId, StreamKind stream, InFlight page, AtomicLong total) {
    await(repositoryId, stream, page.acknowledged(), page.items());
    if (page.items() > 0) {
      metrics.envelopes(platformId, stream.key(), page.items());
    }
    // a positioned sink keeps positions beside its data, handed over with each page
    if (!page.unchanged() && !(sink instanceof PositionedSink)) {
      StateKeys.saveCheckpoint(stateStore, repositoryId, stream, page.checkpoint());
    }
    long soFar = total.addAndGet(page.items());
    if (page.items() > 0) {
      listener.entitiesDelivered(repositoryId, stream, page.entities());
    }
    listener.pageDelivered(repositoryId, stream, page.items(), soFar);
    page.remaining().ifPresent(remaining -> listener.streamRemaining(repositoryId, stream, remaining));
  }

  private static CompletableFuture<Void> publish(java.util.function.Supplier<CompletableFuture<Void>> handOver) {
    try {
      return handOver.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void deliver(String repositoryId, StreamKind stream, List<Envelope> envelopes) {
    await(repositoryId, stream, publish(() -> sink.publish(envelopes)), envelopes.size());
  }

  private void await(String repositoryId, StreamKind stream, CompletableFuture<Void> acknowledged, int count) {
    try {
      acknowledged.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException("interrupted while the sink delivered " + stream.key() + " of " + repositoryId, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SinkException sinkException) {
        throw sinkException;
      }
      throw new SinkException("the sink " + sink.describe() + " did not acknowledge " + count + " "
          + stream.key() + " envelopes of " + repositoryId + ": " + cause, cause);
    } catch (RuntimeException e) {
      if (e instanceof SinkException sinkException) {
        throw sinkException;
      }
      throw new SinkException("the sink " + sink.describe() + " failed: " + e, e);
    }
  }

  private record OpenClient(PlatformClient client, GovernedCallExecutor executor, Optional<Secret> token) {}

  /** Configuration of a {@link GitCollector}; every setting has a working default. */
  public static final class Builder {
    private final Map<String, PlatformConfig> platformConfigs = new LinkedHashMap<>();
    private List<PlatformProvider> providers;
    private ClassLoader classLoader = GitCollector.class.getClassLoader();
    private Sink sink;
    private StateStore stateStore;
    private Path dataDirectory = Path.of("collector-data");
    private MeterRegistry meterRegistry;
    private SyncListener listener = SyncListener.NONE;
    private int concurrency = 4;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxRateLimitWait = Duration.ofHours(1);
    private Duration circuitOpenDuration = Duration.ofSeconds(30);
    private Sleeper sleeper = Sleeper.SYSTEM;
    private int pipelineDepth = 1;
    private Optional<Set<EntityKind>> kinds = Optional.empty();
    private int rateLimitSharers = 1;

    private Builder() {}

    /**
     * How many processes share each token (default 1): this collector then spends at most {@code 1/sharers} of every
     * rate-limit window a platform announces, and waits for the reset when its share is spent. The Kafka Connect tasks
     * of one connector set it to their number.
     */
    public Builder rateLimitShare(int sharers) {
      if (sharers < 1 || sharers > 1_000) {
        throw new InvalidConfigurationException("rate-limit sharers must be between 1 and 1000, was " + sharers);
      }
      this.rateLimitSharers = sharers;
      return this;
    }

    /**
     * The kinds every sync collects unless it names its own (default: every kind the platform serves); kinds a
     * platform does not serve are skipped and named in the sync's result.
     */
    public Builder kinds(Set<EntityKind> value) {
      if (value.isEmpty()) {
        throw new InvalidConfigurationException("the kinds to collect are empty; leave them unset to collect every"
            + " kind the platform serves");
      }
      this.kinds = Optional.of(Set.copyOf(value));
      return this;
    }

    /** Full configuration of one platform. */
    public Builder platform(String platformId, PlatformConfig config) {
      platformConfigs.put(requireId(platformId), Objects.requireNonNull(config, "config"));
      return this;
    }

    /** A token for one platform, keeping the rest of its configuration. */
    public Builder credentials(String platformId, Secret token) {
      PlatformConfig current = platformConfigs.getOrDefault(requireId(platformId), PlatformConfig.empty());
      platformConfigs.put(platformId, current.newBuilder().token(Objects.requireNonNull(token, "token")).build());
      return this;
    }

    /** An API base URL for one platform: GitHub Enterprise, a self-hosted GitLab, a simulator. */
    public Builder apiBaseUrl(String platformId, String url) {
      PlatformConfig current = platformConfigs.getOrDefault(requireId(platformId), PlatformConfig.empty());
      platformConfigs.put(platformId, current.newBuilder().apiBaseUrl(Objects.requireNonNull(url, "url")).build());
      return this;
    }

    /** Uses exactly these providers instead of discovering them with ServiceLoader. */
    public Builder providers(List<PlatformProvider> value) {
      this.providers = List.copyOf(value);
      return this;
    }

    /** Where ServiceLoader looks for platform adapters (default: this library's class loader). */
    public Builder classLoader(ClassLoader value) {
      this.classLoader = Objects.requireNonNull(value, "classLoader");
      return this;
    }

    public Builder sink(Sink value) {
      this.sink = Objects.requireNonNull(value, "sink");
      return this;
    }

    public Builder stateStore(StateStore value) {
      this.stateStore = Objects.requireNonNull(value, "stateStore");
      return this;
    }

    /** Directory of the embedded defaults: JSON-lines files, and the file state store under {@code state/}. */
    public Builder dataDirectory(Path value) {
      this.dataDirectory = Objects.requireNonNull(value, "dataDirectory");
      return this;
    }

    public Builder meterRegistry(MeterRegistry value) {
      this.meterRegistry = Objects.requireNonNull(value, "meterRegistry");
      return this;
    }

    public Builder listener(SyncListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Streams collected in parallel, across all repositories (default 4). */
    public Builder concurrency(int value) {
      if (value < 1 || value > 64) {
        throw new InvalidConfigurationException("concurrency must be between 1 and 64, was " + value);
      }
      this.concurrency = value;
      return this;
    }

    /** Attempts per request for transient failures, and the first backoff (doubling, with jitter). */
    public Builder retry(int attempts, Duration firstBackoff) {
      if (attempts < 1 || attempts > 20) {
        throw new InvalidConfigurationException("retry attempts must be between 1 and 20, was " + attempts);
      }
      if (firstBackoff.isNegative() || firstBackoff.isZero()) {
        throw new InvalidConfigurationException("the first retry backoff must be positive");
      }
      this.maxAttempts = attempts;
      this.initialBackoff = firstBackoff;
      this.maxBackoff = firstBackoff.multipliedBy(64).compareTo(maxBackoff) > 0 ? firstBackoff.multipliedBy(64)
          : maxBackoff;
      return this;
    }

    /**
     * How many pages of one stream may be handed to the sink and not yet acknowledged while the next ones are fetched.
     * The default, 1, waits for each page's acknowledgement before fetching the next, so a crash re-delivers at most one
     * page per stream. A deeper pipeline keeps a remote sink (Kafka) busy and multiplies throughput, and a crash may
     * then re-deliver up to that many pages per stream (with the same event ids).
     */
    public Builder pipelineDepth(int value) {
      if (value < 1 || value > 64) {
        throw new InvalidConfigurationException("pipeline depth must be between 1 and 64, was " + value);
      }
      this.pipelineDepth = value;
      return this;
    }

    /** The longest the collector waits for a rate limit to reset before it fails the sync (default one hour). */
    public Builder maxRateLimitWait(Duration value) {
      if (value.isNegative()) {
        throw new InvalidConfigurationException("the maximum rate-limit wait must not be negative");
      }
      this.maxRateLimitWait = value;
      return this;
    }

    /** How long a tripped circuit breaker keeps requests to a host from going out (default 30 s). */
    public Builder circuitOpenDuration(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new InvalidConfigurationException("the circuit-open duration must be positive");
      }
      this.circuitOpenDuration = value;
      return this;
    }

    public GitCollector build() {
      return new GitCollector(this);
    }

    private static String requireId(String platformId) {
      Objects.requireNonNull(platformId, "platformId");
      if (!platformId.matches("[a-z][a-z0-9_-]*")) {
        throw new InvalidConfigurationException("platform id '" + platformId + "' must be lower-case letters,"
            + " digits, '-' or '_'");
      }
      return platformId;
    }
  }
}
