package io.gitcollector.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.redis.internal.RedisStateStore;
import io.gitcollector.core.spi.coordination.CollectionJob;
import io.gitcollector.core.spi.ComponentConfig;
import io.gitcollector.core.spi.coordination.Coordinator;
import io.gitcollector.core.spi.coordination.Lease;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two coordinators on one real Redis, as two server instances would be. */
class RedisCoordinatorIT {
  private static TestRedis redis;

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  private static Coordinator coordinator(String prefix, String instance, int leaseMillis) {
    return new RedisCoordinatorProvider().create(ComponentConfig.of(Map.of("url", redis.url(), "key_prefix", prefix,
        "lease_ttl_ms", Integer.toString(leaseMillis))), instance);
  }

  private static void waitFor(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }

  @Test
  void eachJobGoesToOneInstanceAndAJobOfADeadInstanceIsReclaimed() {
    String prefix = "q-" + UUID.randomUUID() + ":";
    try (Coordinator a = coordinator(prefix, "a", 400); Coordinator b = coordinator(prefix, "b", 400)) {
      a.enqueue(new CollectionJob("https://github.com/o/r1", "github:github.com/o/r1", false, "test"));
      a.enqueue(new CollectionJob("https://github.com/o/r2", "github:github.com/o/r2", true, "test"));
      Coordinator.ClaimedJob first = a.take(Duration.ofSeconds(2)).orElseThrow();
      Coordinator.ClaimedJob second = b.take(Duration.ofSeconds(2)).orElseThrow();
      assertEquals("github:github.com/o/r1", first.job().repositoryId());
      assertEquals("github:github.com/o/r2", second.job().repositoryId());
      assertTrue(second.job().full());
      b.acknowledge(second);
      assertEquals(Optional.empty(), b.take(Duration.ofMillis(100)), "nothing else is waiting yet");
      // a dies holding its job; once the job has been idle for the lease time, b reclaims it
      waitFor(Duration.ofMillis(500));
      Coordinator.ClaimedJob reclaimed = b.take(Duration.ofMillis(100)).orElseThrow();
      assertEquals("github:github.com/o/r1", reclaimed.job().repositoryId());
      b.acknowledge(reclaimed);
      waitFor(Duration.ofMillis(500));
      assertEquals(Optional.empty(), b.take(Duration.ofMillis(100)), "an acknowledged job is gone for good");
    }
  }

  @Test
  void oneLeaseAtATimeAndAnExpiredHoldersWritesAreFencedOff() {
    String prefix = "l-" + UUID.randomUUID() + ":";
    String repository = "github:github.com/o/leased";
    try (Coordinator a = coordinator(prefix, "a", 60_000); Coordinator b = coordinator(prefix, "b", 60_000)) {
      Lease first = a.tryLease(repository, Duration.ofMillis(300)).orElseThrow();
      assertTrue(b.tryLease(repository, Duration.ofMillis(300)).isEmpty(), "held by a");
      assertTrue(first.renew());
      assertTrue(a.putFenced("cursor/" + repository + "/commits", "from-a", first));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Optional<Lease> second = Optional.empty();
      while (second.isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the lease never expired");
        waitFor(Duration.ofMillis(50));
        second = b.tryLease(repository, Duration.ofSeconds(30));
      }
      assertTrue(second.get().fencingToken() > first.fencingToken());
      assertFalse(first.renew(), "a's lease is lost");
      assertFalse(a.putFenced("cursor/" + repository + "/commits", "stale-from-a", first), "fenced off");
      assertTrue(b.putFenced("cursor/" + repository + "/commits", "from-b", second.get()));
      try (RedisStateStore store = new RedisStateStore(io.lettuce.core.RedisURI.create(redis.url()), prefix)) {
        assertEquals(Optional.of("from-b"), store.get("cursor/" + repository + "/commits"));
      }
      first.close();
      assertTrue(b.tryLease(repository, Duration.ofSeconds(1)).isEmpty(), "a's release did not free b's lease");
      second.get().close();
      assertTrue(a.tryLease(repository, Duration.ofSeconds(1)).isPresent());
    }
  }

  @Test
  void oneInstanceLeadsEachSchedulerPass() {
    String prefix = "s-" + UUID.randomUUID() + ":";
    try (Coordinator a = coordinator(prefix, "a", 1000); Coordinator b = coordinator(prefix, "b", 1000)) {
      assertTrue(a.tryLeadSchedule(Duration.ofMillis(300)));
      assertFalse(b.tryLeadSchedule(Duration.ofMillis(300)));
      waitFor(Duration.ofMillis(400));
      assertTrue(b.tryLeadSchedule(Duration.ofMillis(300)));
    }
  }

  @Test
  void aDeliveryIdAndItsJobAreRecordedTogetherOnceAndTheGroupComesBackAfterRedisLostIt() throws Exception {
    String prefix = "once-" + UUID.randomUUID() + ":";
    try (Coordinator a = coordinator(prefix, "a", 400); Coordinator b = coordinator(prefix, "b", 400);
        RedisStateStore store = new RedisStateStore(io.lettuce.core.RedisURI.create(redis.url()), prefix)) {
      CollectionJob job = CollectionJob.pullRequestRefresh("https://github.com/o/r", "github:github.com/o/r", 7,
          "github/d-1");
      assertTrue(a.enqueueOnce(store, "delivery/github/d-1", "{}", Duration.ofMinutes(1), job));
      assertFalse(b.enqueueOnce(store, "delivery/github/d-1", "{}", Duration.ofMinutes(1), job), "a redelivery");
      assertEquals(Optional.of("{}"), store.get("delivery/github/d-1"), "the id lives where the state store reads");
      Coordinator.ClaimedJob taken = b.take(Duration.ofSeconds(2)).orElseThrow();
      assertEquals(java.util.OptionalLong.of(7), taken.job().pullRequest());
      assertEquals(Optional.of("github/d-1"), taken.job().delivery());
      b.acknowledge(taken);
      assertEquals(Optional.empty(), a.take(Duration.ofMillis(100)), "queued once");
      assertEquals(io.gitcollector.core.spi.Health.Status.UP, a.health().status(), a.health().detail());

      // the stream and its group are gone, as after a restart without persistence
      try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.url());
          io.lettuce.core.api.StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().del(prefix + "jobs");
      }
      assertEquals(io.gitcollector.core.spi.Health.Status.DOWN, a.health().status());
      assertEquals(Optional.empty(), a.take(Duration.ofMillis(100)), "NOGROUP answered by creating the group");
      a.enqueue(new CollectionJob("https://github.com/o/r2", "github:github.com/o/r2", false, "test"));
      assertEquals("github:github.com/o/r2", b.take(Duration.ofSeconds(2)).orElseThrow().job().repositoryId());
      assertEquals(io.gitcollector.core.spi.Health.Status.UP, a.health().status());
    }
  }
}
