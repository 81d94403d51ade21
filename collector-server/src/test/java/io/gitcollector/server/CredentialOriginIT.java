package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.ErrorCode;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.state.FileStateStore;
import io.gitcollector.testkit.bitbucket.BitbucketSimulator;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import io.gitcollector.testkit.gitlab.GitLabSimulator;
import io.gitcollector.testkit.http.OriginProxy;
import io.gitcollector.testkit.reliability.ReliabilityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform that names another origin, in a pagination link or a redirect, never gets a credential sent there: a
 * foreign next-page link is refused with a protocol error before any request and never stored in a cursor; a
 * redirect to another origin is followed without the credential. For each adapter, through one place: the engine's
 * origin check and each adapter's link reading.
 */
class CredentialOriginIT {
  private static final String TOKEN = "origin-test-token-0123456789";
  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger HELD = new AtomicInteger();

  private record Platform(String id, String repositoryUrl, PlatformConfig config) {}

  /** Syncs with links rewritten to a foreign origin: refused, nothing sent there, nothing foreign stored. */
  private static void foreignLinksAreRefused(Path work, Platform platform, OriginProxy.Foreign foreign)
      throws Exception {
    Path state = work.resolve("state-" + platform.id());
    try (GitCollector collector = GitCollector.builder().platform(platform.id(), platform.config())
        .dataDirectory(state).build()) {
      CollectorException refused = assertThrows(CollectorException.class,
          () -> collector.sync(platform.repositoryUrl(), SyncMode.FULL));
      assertEquals(ErrorCode.PROTOCOL_ERROR, refused.code(), refused.getMessage());
      assertTrue(refused.getMessage().contains(foreign.origin() + ", which is not the platform's API origin"),
          refused.getMessage());
      assertFalse(refused.getMessage().contains(TOKEN), "the token never appears in an error");
    }
    assertEquals(List.of(), foreign.received(), platform.id() + ": nothing may reach the foreign origin");
    try (FileStateStore store = new FileStateStore(state.resolve("state"))) {
      store.scan("cursor/").forEach((key, value) -> assertFalse(value.contains(foreign.origin()),
          platform.id() + ": a cursor holds the foreign link: " + key + " = " + value));
    }
    record(true);
  }

  /** Syncs with one route redirected to a foreign origin: whatever reaches it carries no credential. */
  private static void redirectsDropTheCredential(Path work, Platform platform, OriginProxy.Foreign foreign)
      throws Exception {
    try (GitCollector collector = GitCollector.builder().platform(platform.id(), platform.config())
        .dataDirectory(work.resolve("redirect-" + platform.id())).build()) {
      try {
        collector.sync(platform.repositoryUrl(), SyncMode.FULL);
      } catch (CollectorException expected) {
        // the foreign origin answers 404: the run fails, which is not what is tested here
      }
    }
    assertFalse(foreign.received().isEmpty(), platform.id() + ": the redirect was followed");
    for (OriginProxy.Received received : foreign.received()) {
      assertEquals(Map.of(), received.credentials(), platform.id() + ": a credential followed the redirect to "
          + received.path());
    }
    record(true);
  }

  private static void record(boolean held) {
    CASES.incrementAndGet();
    if (held) {
      HELD.incrementAndGet();
    }
  }

  @AfterAll
  static void report() {
    if (CASES.get() > 0) {
      ReliabilityLog.record(new ReliabilityLog.Row("security-1-credential-origin", "GitHub, GitLab and Bitbucket"
          + " naming another origin (another port of the same host) in next-page links (`Link` headers, body `next`)"
          + " and redirecting a route to it", CASES.get(), HELD.get(), "foreign links refused with exit 16 before any"
          + " request and never stored in a cursor; redirects followed without the credential"));
    }
  }

  private static String origin(String url) {
    return io.gitcollector.core.spi.ApiOrigins.originOf(url).orElseThrow();
  }

  @Test
  void gitHub(@TempDir Path work) throws Exception {
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ZERO).start();
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.rewritingLinks(simulator.apiBaseUrl(), foreign)) {
      simulator.addRepository("acme/origin", RepositorySpec.of(300, 10, 1));
      foreignLinksAreRefused(work, new Platform("github", "https://github.com/acme/origin", PlatformConfig.builder()
          .token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin()).build()), foreign);
    }
    try (GitHubSimulator simulator = GitHubSimulator.builder().token(TOKEN).latency(Duration.ZERO).start();
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.redirecting(simulator.apiBaseUrl(), "/contributors", foreign)) {
      simulator.addRepository("acme/origin", RepositorySpec.of(300, 10, 1));
      redirectsDropTheCredential(work, new Platform("github", "https://github.com/acme/origin",
          PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin()).build()), foreign);
    }
  }

  @Test
  void gitLab(@TempDir Path work) throws Exception {
    try (GitLabSimulator simulator = GitLabSimulator.start(TOKEN, Duration.ZERO);
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.rewritingLinks(simulator.url(), foreign)) {
      simulator.addProject("acme/origin", RepositorySpec.of(300, 10, 1));
      foreignLinksAreRefused(work, new Platform("gitlab", proxy.origin() + "/acme/origin", PlatformConfig.builder()
          .token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin()).build()), foreign);
    }
    try (GitLabSimulator simulator = GitLabSimulator.start(TOKEN, Duration.ZERO);
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.redirecting(simulator.url(), "/repository/contributors", foreign)) {
      simulator.addProject("acme/origin", RepositorySpec.of(300, 10, 1));
      redirectsDropTheCredential(work, new Platform("gitlab", proxy.origin() + "/acme/origin",
          PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin()).build()), foreign);
    }
  }

  @Test
  void bitbucket(@TempDir Path work) throws Exception {
    try (BitbucketSimulator simulator = BitbucketSimulator.start(TOKEN, Duration.ZERO);
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.rewritingLinks(origin(simulator.apiBaseUrl()), foreign)) {
      simulator.addRepository("acme/origin", RepositorySpec.of(300, 10, 1));
      foreignLinksAreRefused(work, new Platform("bitbucket", "https://bitbucket.org/acme/origin",
          PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin() + "/2.0").build()), foreign);
    }
    try (BitbucketSimulator simulator = BitbucketSimulator.start(TOKEN, Duration.ZERO);
        OriginProxy.Foreign foreign = new OriginProxy.Foreign();
        OriginProxy proxy = OriginProxy.redirecting(origin(simulator.apiBaseUrl()), "/pullrequests", foreign)) {
      simulator.addRepository("acme/origin", RepositorySpec.of(300, 10, 1));
      redirectsDropTheCredential(work, new Platform("bitbucket", "https://bitbucket.org/acme/origin",
          PlatformConfig.builder().token(Secret.of(TOKEN)).apiBaseUrl(proxy.origin() + "/2.0").build()), foreign);
    }
  }
}
