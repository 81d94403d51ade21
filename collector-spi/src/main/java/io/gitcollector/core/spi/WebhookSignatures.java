package io.gitcollector.core.spi;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC signatures as webhook senders compute them, and the constant-time comparison that verifies them. */
public final class WebhookSignatures {
  private WebhookSignatures() {}

  /** {@code sha256=<hex of HMAC-SHA256(secret, body)>}, the form GitHub and Bitbucket send. */
  public static String sha256(byte[] body, Secret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }

  /** Compares two signatures or tokens in time independent of where they differ. */
  public static boolean matches(String expected, String presented) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        presented.trim().getBytes(StandardCharsets.UTF_8));
  }
}
