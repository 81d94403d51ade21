package io.gitcollector.core.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.RateLimitExhaustedException;
import io.gitcollector.core.spi.RateLimitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The governor with a clock that only moves when it "sleeps": no test here depends on real time. */
class RateLimitGovernorTest {

  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final ManualClock clock = new ManualClock();
  final List<Duration> sleeps = new ArrayList<>();
  final Sleeper sleeper = d -> {
    sleeps.add(d);
    clock.now = clock.now.plus(d);
  };

  @Test
  void aSpentBudgetWaitsForTheResetInsteadOfSendingARequest() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    Instant reset = clock.now.plusSeconds(120);
    governor.observe("k", new RateLimitStatus("core", 5000, 2, reset));
    governor.acquire("k");
    governor.acquire("k");
    assertEquals(List.of(), sleeps, "two units were left");
    governor.acquire("k");
    assertEquals(1, sleeps.size());
    assertTrue(!clock.now.isBefore(reset), "waited until the reset");
  }

  @Test
  void aProcessSharingATokenSpendsItsShareOfEachWindowThenWaitsForTheReset() {
    // four Kafka Connect tasks share the token: each spends a quarter of the 100 a window allows
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {}, 4);
    Instant reset = clock.now.plusSeconds(600);
    governor.acquire("k");
    governor.observe("k", new RateLimitStatus("core", 100, 99, reset));
    governor.release("k");
    for (int i = 1; i < 25; i++) {
      governor.acquire("k");
      // the others spend too: the platform's figure falls faster than this process's own count
      governor.observe("k", new RateLimitStatus("core", 100, 99 - 3 * i, reset));
      governor.release("k");
    }
    assertEquals(List.of(), sleeps, "25 requests, its share, went out at once");
    governor.acquire("k");
    assertEquals(1, sleeps.size(), "the 26th waits although the platform still has " + governor.remaining("k"));
    assertTrue(!clock.now.isBefore(reset), "until the window resets");
    governor.observe("k", new RateLimitStatus("core", 100, 99, reset.plusSeconds(600)));
    governor.release("k");
    for (int i = 0; i < 24; i++) {
      governor.acquire("k");
      governor.release("k");
    }
    assertEquals(1, sleeps.size(), "a new window, a new share");
  }

  @Test
  void requestsStillInFlightCountAgainstTheWindowAResponseAnnounces() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    governor.observe("k", new RateLimitStatus("core", 3, 3, clock.now.plusSeconds(1)));
    governor.acquire("k");
    governor.acquire("k");
    governor.acquire("k");
    // the first response comes from a new window with 2 left; the two others are still on their way into it
    Instant newReset = clock.now.plusSeconds(2);
    governor.observe("k", new RateLimitStatus("core", 3, 2, newReset));
    governor.release("k");
    assertEquals(0, governor.remaining("k"), "2 left, less the 2 requests in flight");
    governor.acquire("k");
    assertEquals(1, sleeps.size(), "the next request waits for the window after");
    assertTrue(!clock.now.isBefore(newReset));
  }

  @Test
  void aPauseHoldsEveryRequestOfTheBudget() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    governor.pause("k", Duration.ofSeconds(60), "secondary limit");
    governor.acquire("k");
    assertEquals(List.of(Duration.ofSeconds(60)), sleeps);
    governor.acquire("other");
    assertEquals(1, sleeps.size(), "other budgets are not paused");
  }

  @Test
  void aResetBeyondTheMaximumWaitFailsWithAClearMessage() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofMinutes(5), (d, r) -> {});
    governor.observe("k", new RateLimitStatus("core", 60, 0, clock.now.plusSeconds(3600)));
    RateLimitExhaustedException error = assertThrows(RateLimitExhaustedException.class, () -> governor.acquire("k"));
    assertTrue(error.getMessage().contains("maximum wait of 300 s"), error.getMessage());
    assertEquals(List.of(), sleeps);
  }

  @Test
  void outOfOrderResponsesOfOneWindowKeepTheSmallestRemaining() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    Instant reset = clock.now.plusSeconds(60);
    governor.observe("k", new RateLimitStatus("core", 100, 10, reset));
    governor.observe("k", new RateLimitStatus("core", 100, 30, reset));
    assertEquals(10, governor.remaining("k"));
    governor.observe("k", new RateLimitStatus("core", 100, 99, reset.plusSeconds(3600)));
    assertEquals(99, governor.remaining("k"), "a new window replaces the old one");
  }

  @Test
  void anUnknownBudgetIsLearnedByOneRequestWhileTheOthersWait() throws Exception {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    governor.acquire("k");
    java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(
        () -> governor.acquire("k"));
    assertThrows(java.util.concurrent.TimeoutException.class,
        () -> second.get(200, java.util.concurrent.TimeUnit.MILLISECONDS), "the second request waits for the scout");
    governor.observe("k", new RateLimitStatus("core", 10, 9, clock.now.plusSeconds(60)));
    governor.release("k");
    second.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(8, governor.remaining("k"));
  }

  @Test
  void aBudgetThePlatformNeverAnnouncesDoesNotSerializeRequests() throws Exception {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    governor.acquire("k");
    governor.release("k");
    governor.acquire("k");
    // a second request while the first is in flight goes out at once: nothing will ever announce this budget
    java.util.concurrent.CompletableFuture.runAsync(() -> governor.acquire("k"))
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(-1, governor.remaining("k"));
  }

  @Test
  void theTightestBudgetOfATokenIsReportedWithTheWindowLearnedFromItsResets() {
    RateLimitGovernor governor = new RateLimitGovernor(clock, sleeper, Duration.ofHours(1), (d, r) -> {});
    assertTrue(governor.tightest("github|t1|").isEmpty(), "nothing announced yet");
    governor.observe("github|t1|core", new RateLimitStatus("core", 5000, 4000, clock.now.plusSeconds(600)));
    governor.observe("github|t1|graphql", new RateLimitStatus("graphql", 1000, 900, clock.now.plusSeconds(300)));
    governor.observe("github|t2|core", new RateLimitStatus("core", 10, 1, clock.now.plusSeconds(60)));
    RateLimitGovernor.BudgetView graphql = governor.tightest("github|t1|").orElseThrow();
    assertEquals(1000, graphql.limit());
    assertEquals(900, graphql.remaining());
    assertTrue(graphql.window().isEmpty(), "one reset seen: the window's length is not known yet");
    clock.now = clock.now.plusSeconds(301);
    governor.observe("github|t1|graphql", new RateLimitStatus("graphql", 1000, 999, clock.now.plusSeconds(3600)));
    assertEquals(java.util.Optional.of(Duration.ofSeconds(3601)), governor.tightest("github|t1|").orElseThrow()
        .window());
    clock.now = clock.now.plusSeconds(7200);
    RateLimitGovernor.BudgetView ended = governor.tightest("github|t1|").orElseThrow();
    assertEquals(1000, ended.remaining(), "a window that ended leaves the whole limit");
    assertEquals(clock.now.plusSeconds(3601), ended.reset());
  }
}
