package io.gitcollector.core.spi.toolkit;

import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedRepositoryUrlException;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookSignatures;
import java.util.Objects;
import java.util.Optional;

/**
 * What every adapter does to a webhook delivery before reading it: refuse it when no secret is configured, verify its
 * signature or token in constant time ({@link InvalidWebhookException}: a forgery, or a sender with the wrong secret),
 * then require its event and delivery-id headers ({@link MalformedWebhookException}: the sender is authentic, its
 * request is bad).
 */
public final class WebhookChecks {
  private final String platform;
  private final String secretVariable;

  /**
   * @param platform the platform as messages name it ({@code "GitHub"})
   * @param secretVariable where the secret is configured ({@code "GITHUB_WEBHOOK_SECRET"})
   */
  public WebhookChecks(String platform, String secretVariable) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.secretVariable = Objects.requireNonNull(secretVariable, "secretVariable");
  }

  /** The delivery's {@code header} is {@code sha256=} and the hex HMAC-SHA256 of its raw body with the secret. */
  public void verifyHmacSha256(WebhookDelivery delivery, Optional<Secret> secret, String header) {
    Secret key = configured(secret);
    String signature = authenticationHeader(delivery, header);
    if (!WebhookSignatures.matches(WebhookSignatures.sha256(delivery.body(), key), signature)) {
      throw new InvalidWebhookException("the " + header + " of the delivery does not match its body");
    }
  }

  /** The delivery's {@code header} is the secret itself (GitLab's secret token). */
  public void verifyToken(WebhookDelivery delivery, Optional<Secret> secret, String header) {
    Secret key = configured(secret);
    String token = authenticationHeader(delivery, header);
    if (!WebhookSignatures.matches(key.reveal(), token)) {
      throw new InvalidWebhookException("the " + header + " of the delivery does not match the configured secret");
    }
  }

  /** The first of the headers the delivery has; a malformed delivery when it has none. */
  public String header(WebhookDelivery delivery, String name, String... alternatives) {
    Optional<String> value = delivery.header(name);
    for (String alternative : alternatives) {
      value = value.or(() -> delivery.header(alternative));
    }
    return value.orElseThrow(() -> new MalformedWebhookException("the delivery has no " + name + " header"));
  }

  /** The repository a delivery names by URL; a malformed delivery when the URL cannot be read. */
  public static Optional<RepositoryRef> repository(Optional<String> url) {
    if (url.isEmpty() || url.get().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RepositoryRef.parse(url.get()));
    } catch (MalformedRepositoryUrlException e) {
      throw new MalformedWebhookException("the delivery names an unreadable repository URL: " + e.getMessage(), e);
    }
  }

  private Secret configured(Optional<Secret> secret) {
    return secret.orElseThrow(() -> new InvalidWebhookException("no " + platform + " webhook secret is configured ("
        + secretVariable + "); refusing unverifiable deliveries"));
  }

  private static String authenticationHeader(WebhookDelivery delivery, String header) {
    return delivery.header(header)
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no " + header + " header"));
  }
}
