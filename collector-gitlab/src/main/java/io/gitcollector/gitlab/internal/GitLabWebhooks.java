package io.gitcollector.gitlab.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.WebhookJson;
import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.MalformedRepositoryUrlException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.spi.WebhookSignatures;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * GitLab deliveries: the secret token in {@code X-Gitlab-Token} (compared in constant time), the event in
 * {@code X-Gitlab-Event}, the delivery id in {@code X-Gitlab-Event-UUID}.
 */
public final class GitLabWebhooks {
  private GitLabWebhooks() {}

  static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret, ObjectMapper json) {
    if (secret.isEmpty()) {
      throw new InvalidWebhookException("no GitLab webhook token is configured (GITLAB_WEBHOOK_TOKEN); refusing"
          + " unverifiable deliveries");
    }
    String token = delivery.header("X-Gitlab-Token")
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no X-Gitlab-Token header"));
    if (!WebhookSignatures.matches(secret.get().reveal(), token)) {
      throw new InvalidWebhookException("the X-Gitlab-Token of the delivery does not match the configured token");
    }
    // authentic from here on: what cannot be read is a bad request, not a forgery
    String event = delivery.header("X-Gitlab-Event")
        .orElseThrow(() -> new MalformedWebhookException("the delivery has no X-Gitlab-Event header"));
    String deliveryId = delivery.header("X-Gitlab-Event-UUID")
        .or(() -> delivery.header("X-Gitlab-Webhook-UUID"))
        .orElseThrow(() -> new MalformedWebhookException("the delivery has no X-Gitlab-Event-UUID header"));
    JsonNode payload = WebhookJson.object(delivery.body(), "GitLab delivery " + deliveryId);
    Optional<RepositoryRef> repository = repository(payload);
    switch (event) {
      case "Push Hook", "Tag Push Hook" -> {
        return new WebhookEvent(deliveryId, event, repository.isPresent() ? WebhookEvent.Action.SYNC_REPOSITORY
            : WebhookEvent.Action.IGNORE, repository, OptionalLong.empty());
      }
      case "Merge Request Hook" -> {
        return refresh(deliveryId, event, repository, payload.path("object_attributes").path("iid"));
      }
      case "Note Hook" -> {
        return refresh(deliveryId, event, repository, payload.path("merge_request").path("iid"));
      }
      default -> {
        return new WebhookEvent(deliveryId, event, WebhookEvent.Action.IGNORE, repository, OptionalLong.empty());
      }
    }
  }

  private static WebhookEvent refresh(String deliveryId, String event, Optional<RepositoryRef> repository,
      JsonNode iid) {
    OptionalLong number = WebhookJson.identifier(iid, "the merge request's iid");
    if (repository.isEmpty() || number.isEmpty()) {
      return new WebhookEvent(deliveryId, event, WebhookEvent.Action.IGNORE, repository, OptionalLong.empty());
    }
    return new WebhookEvent(deliveryId, event, WebhookEvent.Action.REFRESH_PULL_REQUEST, repository, number);
  }

  private static Optional<RepositoryRef> repository(JsonNode payload) {
    JsonNode project = payload.path("project");
    String url = project.path("web_url").asText(payload.path("repository").path("homepage").asText(""));
    if (url.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RepositoryRef.parse(url));
    } catch (MalformedRepositoryUrlException e) {
      throw new MalformedWebhookException("the delivery names an unreadable project URL: " + e.getMessage(), e);
    }
  }
}
