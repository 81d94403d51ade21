package io.gitcollector.server.service;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook deliveries about one pull request share its refreshes instead of costing an API request each. */
class PullRequestRefreshIT {
  private static final String TOKEN = "ghp_refreshTestToken";
  private static final Secret WEBHOOK_SECRET = Secret.of("refresh-test-webhook-secret");

  /** A sink that can hold the worker inside publish, so the test knows a refresh is between fetch and delivery. */
  private static final class GatedSink implements Sink {
    final List<PullRequest> published = new CopyOnWriteArrayList<>();
    final Semaphore entered = new Semaphore(0);
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public CompletableFuture<Void> publish(List<Envelope> envelopes) {
      entered.release();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(e);
      }
      envelopes.forEach(e -> published.add((PullRequest) e.data()));
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void deliveriesDuringARefreshCostOneMoreRefreshAndNoMore(@TempDir Path data) throws Exception {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/github-examples/webhooks/pull_request.opened.0.json")) {
      body = in.readAllBytes();
    }
    GatedSink sink = new GatedSink();
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).start();
        GitCollector collector = GitCollector.builder()
            .platform("github", PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(simulator.apiBaseUrl())
                .build())
            .sink(sink).dataDirectory(data).build();
        CollectionService service = new CollectionService(collector, Map.of("github", WEBHOOK_SECRET),
            Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(1), 4, Duration.ofSeconds(10))) {
      simulator.addRepository("Codertocat/Hello-World", RepositorySpec.of(10, 3, 1));

      // one delivery, one refresh: what a refresh costs in requests
      long before = simulator.stats().requests();
      assertEquals(CollectionService.DeliveryOutcome.ACCEPTED, service.accept("github", delivery("d-1", body)));
      awaitTrue(() -> sink.published.size() == 1 && service.pendingRefreshes() == 0, "the first refresh");
      long perRefresh = simulator.stats().requests() - before;
      assertTrue(perRefresh >= 1, "a refresh asks the platform");

      // a second delivery starts a refresh that is held after its fetch; ten more arrive meanwhile
      sink.gate = new CountDownLatch(1);
      before = simulator.stats().requests();
      service.accept("github", delivery("d-2", body));
      assertTrue(sink.entered.tryAcquire(30, TimeUnit.SECONDS), "the refresh reached the sink");
      for (int i = 3; i <= 12; i++) {
        assertEquals(CollectionService.DeliveryOutcome.ACCEPTED, service.accept("github", delivery("d-" + i, body)));
      }
      assertEquals(1, service.pendingRefreshes(), "the deliveries joined the refresh of pull request 2");
      sink.gate.countDown();
      awaitTrue(() -> service.pendingRefreshes() == 0, "the refreshes to finish");

      assertEquals(2 * perRefresh, simulator.stats().requests() - before,
          "eleven deliveries during one refresh cost exactly one more");
      assertEquals(3, sink.published.size());
      sink.published.forEach(pull -> assertEquals(2, pull.number()));
    }
  }

  private static WebhookDelivery delivery(String id, byte[] body) {
    return new WebhookDelivery(Map.of("X-GitHub-Event", "pull_request", "X-GitHub-Delivery", id,
        "X-Hub-Signature-256", WebhookSignatures.sha256(body, WEBHOOK_SECRET)), body);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

}
