package io.gitcollector.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.github.GitHubSimulator;
import io.gitcollector.testkit.github.RepositorySpec;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collecting as a GitHub App: installation tokens per owner, refreshed before they expire. */
class GitHubAppIT {
  private static final long APP_ID = 4242;
  private static GitHubSimulator simulator;
  private static KeyPair keys;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    simulator = GitHubSimulator.builder().latency(Duration.ofMillis(40)).start();
    // installation tokens live two seconds here (an hour on GitHub): a sync of a few seconds outlives several
    simulator.registerApp(APP_ID, keys.getPublic(), Duration.ofSeconds(2));
    simulator.installApp("appco");
    simulator.installApp("otherco");
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  /** The private key as GitHub hands it out: PKCS#1, {@code BEGIN RSA PRIVATE KEY}. */
  private static String pkcs1Pem() {
    byte[] pkcs8 = keys.getPrivate().getEncoded();
    // a 2048-bit key's PKCS#8 form holds its PKCS#1 form after a 26-byte header
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs1)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  private static GitCollector collector(Path data, String pem) {
    return GitCollector.builder()
        .platform("github", PlatformConfig.builder().apiBaseUrl(simulator.apiBaseUrl())
            .setting("app_id", Long.toString(APP_ID)).setting("app_private_key", pem).build())
        .dataDirectory(data).retry(3, Duration.ofMillis(20)).build();
  }

  @Test
  void installationTokensAreRefreshedBeforeTheyExpireAcrossALongSync(@TempDir Path data) {
    for (int i = 0; i < 12; i++) {
      simulator.addRepository("appco/r-" + i, RepositorySpec.of(120, 3, 1).asPrivate());
    }
    simulator.addRepository("otherco/tool", RepositorySpec.of(30, 1, 0).asPrivate());
    long commits = 0;
    try (GitCollector collector = collector(data, pkcs1Pem())) {
      for (int i = 0; i < 12; i++) {
        commits += collector.sync(collector.target("https://github.com/appco/r-" + i), SyncMode.FULL)
            .delivered(StreamKind.of(EntityKind.COMMIT));
      }
      commits += collector.sync(collector.target("https://github.com/otherco/tool"), SyncMode.FULL)
          .delivered(StreamKind.of(EntityKind.COMMIT));
    }
    assertEquals(12 * 120 + 30, commits);
    assertTrue(simulator.installationTokensIssued() >= 3, "tokens were renewed: "
        + simulator.installationTokensIssued());
    assertEquals(0, simulator.stats().route("GET (bad credentials)") + simulator.stats()
        .route("POST (bad credentials)"), "no request went out with an expired token");
  }

  @Test
  void anAppNotInstalledOnTheOwnerOrMisconfiguredIsAClearError(@TempDir Path data) {
    simulator.addRepository("elsewhere/tool", RepositorySpec.of(1, 0, 0));
    try (GitCollector collector = collector(data, pkcs1Pem())) {
      PermissionDeniedException denied = assertThrows(PermissionDeniedException.class,
          () -> collector.sync(collector.target("https://github.com/elsewhere/tool"), SyncMode.FULL));
      assertTrue(denied.getMessage().contains("is not installed on 'elsewhere'"), denied.getMessage());
    }
    String garbage = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END RSA PRIVATE KEY-----";
    try (GitCollector collector = collector(data, garbage)) {
      InvalidConfigurationException unreadable = assertThrows(InvalidConfigurationException.class,
          () -> collector.sync(collector.target("https://github.com/appco/r-0"), SyncMode.FULL));
      assertTrue(unreadable.getMessage().startsWith("GITHUB_APP_PRIVATE_KEY cannot be read"), unreadable.getMessage());
      assertFalse(unreadable.getMessage().contains("bm90IGEga2V5"), "the key is never shown");
    }
    try (GitCollector collector = GitCollector.builder().platform("github", PlatformConfig.builder()
        .apiBaseUrl(simulator.apiBaseUrl()).setting("app_id", "4242").build()).dataDirectory(data).build()) {
      InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
          () -> collector.sync(collector.target("https://github.com/appco/r-0"), SyncMode.FULL));
      assertTrue(missing.getMessage().contains("GITHUB_APP_PRIVATE_KEY"), missing.getMessage());
    }
  }
}
