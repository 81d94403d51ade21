package io.gitcollector.bitbucket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.spi.toolkit.WebhookChecks;
import io.gitcollector.core.spi.toolkit.WebhookJson;
import java.util.Optional;
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

  private static final WebhookChecks CHECKS = new WebhookChecks("Bitbucket", "BITBUCKET_WEBHOOK_SECRET");

  private BitbucketWebhooks() {}

  /** Verifies and reads a delivery: the provider's {@link io.gitcollector.core.spi.WebhookReader}. */
  public static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret) {
    CHECKS.verifyHmacSha256(delivery, secret, "X-Hub-Signature");
    String event = CHECKS.header(delivery, "X-Event-Key");
    String deliveryId = delivery.header("X-Request-UUID")
        .or(() -> delivery.header("X-Hook-UUID").map(h -> h + "/" + delivery.header("X-Attempt-Number").orElse("1")))
        .orElseThrow(() -> new MalformedWebhookException("the delivery has no X-Request-UUID header"));
    JsonNode payload = WebhookJson.object(delivery.body(), "Bitbucket delivery " + deliveryId);
    JsonNode fullName = payload.path("repository").path("full_name");
    Optional<RepositoryRef> repository = WebhookChecks.repository(Optional.of(fullName)
        .filter(JsonNode::isTextual).map(name -> "https://bitbucket.org/" + name.asText()));
    // a commit status names no pipeline by its id: an incremental sync reads the pipelines that changed
    if (event.equals("repo:push") || event.equals("repo:commit_status_created")
        || event.equals("repo:commit_status_updated")) {
      return WebhookEvent.sync(deliveryId, event, repository);
    }
    if (PULL_REQUEST_EVENTS.contains(event)) {
      return WebhookEvent.refresh(deliveryId, event, repository,
          WebhookJson.identifier(payload.path("pullrequest").path("id"), "the pull request's id"));
    }
    if (event.equals("issue:created") || event.equals("issue:updated") || event.equals("issue:comment_created")) {
      return WebhookEvent.refetch(deliveryId, event, repository, EntityKind.ISSUE, WebhookJson.identifier(
          payload.path("issue").path("id"), "the issue's id").stream().mapToObj(Long::toString).findFirst());
    }
    return WebhookEvent.ignore(deliveryId, event, repository);
  }
}
