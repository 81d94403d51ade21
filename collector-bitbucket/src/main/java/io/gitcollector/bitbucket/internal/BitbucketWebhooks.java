package io.gitcollector.bitbucket.internal;

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
import java.util.Set;

/**
 * Bitbucket Cloud deliveries: {@code X-Hub-Signature} ({@code sha256=} HMAC-SHA256 of the raw body, compared in
 * constant time), {@code X-Event-Key}, {@code X-Request-UUID} (kept for de-duplication).
 */
public final class BitbucketWebhooks {
  private static final Set<String> PULL_REQUEST_EVENTS = Set.of("pullrequest:created", "pullrequest:updated",
      "pullrequest:approved", "pullrequest:unapproved", "pullrequest:fulfilled", "pullrequest:rejected",
      "pullrequest:changes_request_created", "pullrequest:changes_request_removed", "pullrequest:comment_created",
      "pullrequest:comment_updated", "pullrequest:comment_deleted");

  private BitbucketWebhooks() {}

  /** The {@code X-Hub-Signature} value Bitbucket sends for this body. */
  public static String sign(byte[] body, Secret secret) {
    return WebhookSignatures.sha256(body, secret);
  }

  static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret, ObjectMapper json) {
    if (secret.isEmpty()) {
      throw new InvalidWebhookException("no Bitbucket webhook secret is configured (BITBUCKET_WEBHOOK_SECRET);"
          + " refusing unverifiable deliveries");
    }
    String signature = delivery.header("X-Hub-Signature")
        .orElseThrow(() -> new InvalidWebhookException("the delivery has no X-Hub-Signature header"));
    byte[] body = delivery.body();
    if (!WebhookSignatures.matches(sign(body, secret.get()), signature)) {
      throw new InvalidWebhookException("the X-Hub-Signature of the delivery does not match its body");
    }
    // authentic from here on: what cannot be read is a bad request, not a forgery
    String event = delivery.header("X-Event-Key")
        .orElseThrow(() -> new MalformedWebhookException("the delivery has no X-Event-Key header"));
    String deliveryId = delivery.header("X-Request-UUID")
        .or(() -> delivery.header("X-Hook-UUID").map(h -> h + "/" + delivery.header("X-Attempt-Number").orElse("1")))
        .orElseThrow(() -> new MalformedWebhookException("the delivery has no X-Request-UUID header"));
    JsonNode payload = WebhookJson.object(body, "Bitbucket delivery " + deliveryId);
    Optional<RepositoryRef> repository = repository(payload);
    if (event.equals("repo:push") && repository.isPresent()) {
      return new WebhookEvent(deliveryId, event, WebhookEvent.Action.SYNC_REPOSITORY, repository,
          OptionalLong.empty());
    }
    OptionalLong id = WebhookJson.identifier(payload.path("pullrequest").path("id"), "the pull request's id");
    if (PULL_REQUEST_EVENTS.contains(event) && repository.isPresent() && id.isPresent()) {
      return new WebhookEvent(deliveryId, event, WebhookEvent.Action.REFRESH_PULL_REQUEST, repository, id);
    }
    return new WebhookEvent(deliveryId, event, WebhookEvent.Action.IGNORE, repository, OptionalLong.empty());
  }

  private static Optional<RepositoryRef> repository(JsonNode payload) {
    JsonNode fullName = payload.path("repository").path("full_name");
    if (!fullName.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RepositoryRef.parse("https://bitbucket.org/" + fullName.asText()));
    } catch (MalformedRepositoryUrlException e) {
      throw new MalformedWebhookException("the delivery names an unreadable repository: " + e.getMessage(), e);
    }
  }
}
