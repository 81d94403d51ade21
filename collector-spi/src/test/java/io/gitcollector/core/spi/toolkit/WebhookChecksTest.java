package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookChecksTest {
  private static final Secret SECRET = Secret.of("s3cret-value");
  private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
  private final WebhookChecks checks = new WebhookChecks("Forge", "FORGE_WEBHOOK_SECRET");

  @Test
  void anHmacSignedDeliveryIsVerifiedAndAForgeryRefused() {
    String signature = WebhookSignatures.sha256(BODY, SECRET);
    checks.verifyHmacSha256(new WebhookDelivery(Map.of("X-Sig", signature), BODY), Optional.of(SECRET), "X-Sig");
    InvalidWebhookException forged = assertThrows(InvalidWebhookException.class, () -> checks.verifyHmacSha256(
        new WebhookDelivery(Map.of("X-Sig", signature), "{\"a\":2}".getBytes(StandardCharsets.UTF_8)),
        Optional.of(SECRET), "X-Sig"));
    assertTrue(forged.getMessage().contains("does not match"));
    assertFalse(forged.getMessage().contains(SECRET.reveal()));
    assertThrows(InvalidWebhookException.class, () -> checks.verifyHmacSha256(new WebhookDelivery(Map.of(), BODY),
        Optional.of(SECRET), "X-Sig"));
    InvalidWebhookException unconfigured = assertThrows(InvalidWebhookException.class, () -> checks
        .verifyHmacSha256(new WebhookDelivery(Map.of("X-Sig", signature), BODY), Optional.empty(), "X-Sig"));
    assertTrue(unconfigured.getMessage().contains("FORGE_WEBHOOK_SECRET"));
  }

  @Test
  void aSharedTokenIsComparedAsIs() {
    checks.verifyToken(new WebhookDelivery(Map.of("X-Token", SECRET.reveal()), BODY), Optional.of(SECRET),
        "X-Token");
    assertThrows(InvalidWebhookException.class, () -> checks.verifyToken(
        new WebhookDelivery(Map.of("X-Token", "guess"), BODY), Optional.of(SECRET), "X-Token"));
  }

  @Test
  void requiredHeadersAndRepositoryUrlsOfAnAuthenticDelivery() {
    WebhookDelivery delivery = new WebhookDelivery(Map.of("X-Second", "id-2"), BODY);
    assertEquals("id-2", checks.header(delivery, "X-First", "X-Second"));
    MalformedWebhookException missing = assertThrows(MalformedWebhookException.class,
        () -> checks.header(delivery, "X-Event"));
    assertTrue(missing.getMessage().contains("X-Event"));
    assertEquals("o/r", WebhookChecks.repository(Optional.of("https://example.com/o/r")).orElseThrow().path());
    assertEquals(Optional.empty(), WebhookChecks.repository(Optional.empty()));
    assertThrows(MalformedWebhookException.class, () -> WebhookChecks.repository(Optional.of("not a url")));
  }
}
