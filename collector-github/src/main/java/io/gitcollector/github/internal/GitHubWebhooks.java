package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedRepositoryUrlException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.spi.WebhookSignatures;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * GitHub webhook deliveries: {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body, hex, compared in constant
 * time), {@code X-GitHub-Event} and {@code X-GitHub-Delivery}.
 */
public final class GitHubWebhooks {
  private GitHubWebhooks() {}

  /** The {@code X-Hub-Signature-256} value GitHub would send for this body. */
  public static String sign(byte[] body, Secret secret) {
    return WebhookSignatures.sha256(body, secret);
  }

  static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret, ObjectMapper json) {
    if (secret.isEmpty()) {
      throw new InvalidWebhookException("no GitHub webhook secret is configured (GITHUB_WEBHOOK_SECRET); refusing"
          + " unverifiable deliveries");
    }
    String signature = delivery.header("X-Hub-Signature-256")
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no X-Hub-Signature-256 header"));
    byte[] body = delivery.body();
    if (!WebhookSignatures.matches(sign(body, secret.get()), signature)) {
      throw new InvalidWebhookException("the X-Hub-Signature-256 of the delivery does not match its body");
    }
    String event = delivery.header("X-GitHub-Event")
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no X-GitHub-Event header"));
    String deliveryId = delivery.header("X-GitHub-Delivery")
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no X-GitHub-Delivery header"));
    JsonNode payload;
    try {
      payload = json.readTree(body);
    } catch (IOException e) {
      throw new InvalidWebhookException("the body of GitHub delivery " + deliveryId + " is not JSON", e);
    }
    Optional<RepositoryRef> repository = repository(payload);
    return switch (event) {
      case "push", "repository", "create", "delete" -> new WebhookEvent(deliveryId, event,
          repository.isPresent() ? WebhookEvent.Action.SYNC_REPOSITORY : WebhookEvent.Action.IGNORE, repository,
          OptionalLong.empty());
      case "pull_request", "pull_request_review", "pull_request_review_comment" -> {
        JsonNode number = payload.path("pull_request").path("number");
        if (number.isMissingNode()) {
          number = payload.path("number");
        }
        yield new WebhookEvent(deliveryId, event,
            repository.isPresent() && number.isNumber() ? WebhookEvent.Action.REFRESH_PULL_REQUEST
                : WebhookEvent.Action.IGNORE,
            repository, number.isNumber() ? OptionalLong.of(number.asLong()) : OptionalLong.empty());
      }
      default -> new WebhookEvent(deliveryId, event, WebhookEvent.Action.IGNORE, repository, OptionalLong.empty());
    };
  }

  private static Optional<RepositoryRef> repository(JsonNode payload) {
    JsonNode url = payload.path("repository").path("html_url");
    if (!url.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RepositoryRef.parse(url.asText()));
    } catch (MalformedRepositoryUrlException e) {
      throw new InvalidWebhookException("the delivery names an unreadable repository URL: " + e.getMessage(), e);
    }
  }
}
