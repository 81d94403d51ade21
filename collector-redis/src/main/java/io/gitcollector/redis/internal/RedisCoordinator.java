package io.gitcollector.redis.internal;

import io.gitcollector.core.model.StateStoreException;
import io.gitcollector.core.spi.coordination.CollectionJob;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.Health;
import io.gitcollector.core.spi.coordination.Lease;
import io.gitcollector.core.spi.StateStore;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Work shared by several instances through Redis, with nothing home-made that Redis already provides: a stream with
 * a consumer group is the job queue (a job taken by an instance that dies is reclaimed with {@code XAUTOCLAIM} once
 * it has been idle for the lease time), {@code SET NX PX} is the lease, {@code INCR} makes the fencing token, and
 * small Lua scripts make "renew only if still mine", "release only if still mine" and "write only if my token is the
 * newest" atomic.
 */
public final class RedisCoordinator implements Coordinator {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisCoordinator.class);
  private static final String GROUP = "collectors";
  private static final String ACQUIRE = """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        local token = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
        return token
      end
      return -1""";
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0""";
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""";
  private static final String ENQUEUE_ONCE = """
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
        return 1
      end
      return 0""";
  private static final String FENCED_SET = """
      if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
      return 0""";

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commandsConnection;
  private final StatefulRedisConnection<String, String> blockingConnection;
  private final RedisCommands<String, String> redis;
  private final RedisCommands<String, String> blocking;
  private final String prefix;
  private final String stream;
  private final String instanceId;
  private final Duration reclaimAfter;
  private final String location;

  public RedisCoordinator(RedisURI uri, String prefix, String instanceId, Duration reclaimAfter) {
    this.prefix = prefix;
    this.stream = prefix + "jobs";
    this.instanceId = instanceId;
    this.reclaimAfter = reclaimAfter;
    this.location = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    this.client = InstrumentedRedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    try {
      this.commandsConnection = client.connect();
      // a blocking XREADGROUP holds its connection: it gets one of its own
      this.blockingConnection = client.connect();
    } catch (RedisConnectionException e) {
      client.shutdown();
      throw new StateStoreException("cannot connect to Redis at " + location + ": " + e.getMessage(), e);
    }
    this.redis = commandsConnection.sync();
    this.blocking = blockingConnection.sync();
    call(() -> {
      createGroup();
      return null;
    });
  }

  /**
   * Creates the job queue's consumer group (and the stream) unless it exists. Called at start and whenever Redis
   * answers {@code NOGROUP}: a Redis restarted without persistence has lost both, and the workers must not poll a
   * group that will never come back. From {@code 0}, so jobs added between the loss and now are taken too.
   */
  private void createGroup() {
    try {
      redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException alreadyThere) {
      // another instance created the group first
    }
  }

  private static boolean isNoGroup(RedisException e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
  }

  @Override
  public String instanceId() {
    return instanceId;
  }

  @Override
  public void enqueue(CollectionJob job) {
    call(() -> redis.xadd(stream, fields(job)));
  }

  /**
   * {@code SET NX PX} of the key and {@code XADD} of the job in one script, so a delivery id is never recorded
   * without its work queued. The key lives under the same prefix as the state store's ({@code REDIS_KEY_PREFIX}).
   */
  @Override
  public boolean enqueueOnce(StateStore seen, String key, String value, Duration expiry, CollectionJob job) {
    List<String> arguments = new java.util.ArrayList<>(List.of(value, Long.toString(expiry.toMillis())));
    fields(job).forEach((field, fieldValue) -> {
      arguments.add(field);
      arguments.add(fieldValue);
    });
    Long queued = call(() -> redis.eval(ENQUEUE_ONCE, ScriptOutputType.INTEGER, new String[] {prefix + key, stream},
        arguments.toArray(String[]::new)));
    return queued != null && queued == 1;
  }

  private static Map<String, String> fields(CollectionJob job) {
    Map<String, String> body = new java.util.LinkedHashMap<>();
    body.put("url", job.url());
    body.put("repository_id", job.repositoryId());
    body.put("full", Boolean.toString(job.full()));
    body.put("reason", job.reason());
    // pull_request as well, so that an instance of the version before other kinds were fetched again still reads it
    job.pullRequest().ifPresent(number -> body.put("pull_request", Long.toString(number)));
    job.refetch().ifPresent(entity -> {
      body.put("refetch_kind", entity.kind().stream());
      body.put("refetch_key", entity.key());
    });
    if (!job.kinds().isEmpty()) {
      body.put("kinds", String.join(",", new java.util.TreeSet<>(job.kinds())));
    }
    job.delivery().ifPresent(delivery -> body.put("delivery", delivery));
    return body;
  }

  @Override
  public Optional<ClaimedJob> take(Duration wait) {
    try {
      return takeOnce(wait);
    } catch (StateStoreException e) {
      if (e.getCause() instanceof RedisException cause && isNoGroup(cause)) {
        LOG.warn("the job queue's consumer group is gone (Redis restarted without its data?); creating it again");
        call(() -> {
          createGroup();
          return null;
        });
        return takeOnce(wait);
      }
      throw e;
    }
  }

  private Optional<ClaimedJob> takeOnce(Duration wait) {
    return call(() -> {
      ClaimedMessages<String, String> reclaimed = redis.xautoclaim(stream, XAutoClaimArgs.Builder
          .xautoclaim(Consumer.from(GROUP, instanceId), reclaimAfter, "0-0").count(1));
      if (reclaimed != null && !reclaimed.getMessages().isEmpty()) {
        return Optional.of(claimed(reclaimed.getMessages().get(0)));
      }
      List<StreamMessage<String, String>> fresh = blocking.xreadgroup(Consumer.from(GROUP, instanceId),
          XReadArgs.Builder.block(wait.toMillis()).count(1), XReadArgs.StreamOffset.lastConsumed(stream));
      return fresh == null || fresh.isEmpty() ? Optional.<ClaimedJob>empty() : Optional.of(claimed(fresh.get(0)));
    });
  }

  private static ClaimedJob claimed(StreamMessage<String, String> message) {
    Map<String, String> body = message.getBody();
    return new ClaimedJob(new CollectionJob(body.get("url"), body.get("repository_id"),
        Boolean.parseBoolean(body.get("full")), body.getOrDefault("reason", ""), refetch(body),
        Optional.ofNullable(body.get("delivery")), body.containsKey("kinds")
            ? java.util.Set.of(body.get("kinds").split(",")) : java.util.Set.of()), message.getId());
  }

  /**
   * The entity a job fetches again. A kind this instance does not know (a plugin's, not installed here) leaves the
   * job a collection of the repository, which covers that entity too.
   */
  private static Optional<io.gitcollector.core.model.EntityRef> refetch(Map<String, String> body) {
    if (body.containsKey("refetch_kind")) {
      String stream = body.get("refetch_kind");
      return io.gitcollector.core.model.EntityKind.all().stream().filter(kind -> kind.stream().equals(stream))
          .findFirst().map(kind -> new io.gitcollector.core.model.EntityRef(kind, body.get("refetch_key")));
    }
    return body.containsKey("pull_request")
        ? Optional.of(io.gitcollector.core.model.EntityRef.pullRequest(Long.parseLong(body.get("pull_request"))))
        : Optional.empty();
  }

  /** Done; a group lost with Redis's data has nothing left to acknowledge. */
  @Override
  public void acknowledge(ClaimedJob job) {
    try {
      call(() -> redis.xack(stream, GROUP, job.receipt()));
    } catch (StateStoreException e) {
      if (!(e.getCause() instanceof RedisException cause && isNoGroup(cause))) {
        throw e;
      }
    }
    call(() -> redis.xdel(stream, job.receipt()));
  }

  /**
   * Up when Redis answers and the job queue's consumer group exists; says how many jobs wait and how many are taken
   * and not yet acknowledged.
   */
  @Override
  public Health health() {
    try {
      List<Object> groups = redis.xinfoGroups(stream);
      for (Object group : groups) {
        if (group instanceof List<?> fields) {
          Map<String, Object> info = new java.util.HashMap<>();
          for (int i = 0; i + 1 < fields.size(); i += 2) {
            info.put(String.valueOf(fields.get(i)), fields.get(i + 1));
          }
          if (GROUP.equals(info.get("name"))) {
            return Health.up("job queue " + stream + " on Redis at " + location + ": " + redis.xlen(stream)
                + " job(s) in the stream, " + info.get("pending") + " taken and not yet acknowledged");
          }
        }
      }
      return Health.down("the job queue " + stream + " on Redis at " + location + " has no consumer group '"
          + GROUP + "' (Redis lost its data?); workers create it again on their next take");
    } catch (RedisException e) {
      if (e.getMessage() != null && e.getMessage().contains("no such key")) {
        return Health.down("the job queue " + stream + " on Redis at " + location + " does not exist (Redis lost"
            + " its data?); workers create it again on their next take");
      }
      return Health.down("Redis at " + location + " does not answer: " + e.getMessage());
    }
  }

  @Override
  public Optional<Lease> tryLease(String repositoryId, Duration ttl) {
    String leaseKey = prefix + "lease/" + repositoryId;
    String fenceKey = prefix + "fence/" + repositoryId;
    Long token = call(() -> redis.eval(ACQUIRE, ScriptOutputType.INTEGER, new String[] {leaseKey, fenceKey},
        instanceId, Long.toString(ttl.toMillis())));
    if (token == null || token < 0) {
      return Optional.empty();
    }
    String holder = instanceId + ":" + token;
    return Optional.of(new Lease() {
      @Override
      public String repositoryId() {
        return repositoryId;
      }

      @Override
      public long fencingToken() {
        return token;
      }

      @Override
      public boolean renew() {
        Long renewed = call(() -> redis.eval(RENEW, ScriptOutputType.INTEGER, new String[] {leaseKey}, holder,
            Long.toString(ttl.toMillis())));
        return renewed != null && renewed == 1;
      }

      @Override
      public void close() {
        call(() -> redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {leaseKey}, holder));
      }
    });
  }

  @Override
  public boolean tryLeadSchedule(Duration period) {
    return call(() -> "OK".equals(redis.set(prefix + "scheduler", instanceId,
        SetArgs.Builder.nx().px(Math.max(1, period.toMillis())))));
  }

  @Override
  public boolean putFenced(String key, String value, Lease lease) {
    Long written = call(() -> redis.eval(FENCED_SET, ScriptOutputType.INTEGER,
        new String[] {prefix + key, prefix + "fence/" + lease.repositoryId()}, value,
        Long.toString(lease.fencingToken())));
    return written != null && written == 1;
  }

  @Override
  public void close() {
    blockingConnection.close();
    commandsConnection.close();
    client.shutdown();
  }

  private <T> T call(java.util.function.Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new StateStoreException("Redis at " + location + " failed: " + e.getMessage(), e);
    }
  }
}
