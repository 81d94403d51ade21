package io.gitcollector.gitlab.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.spi.toolkit.JsonFields;
import io.gitcollector.core.spi.toolkit.WebhookChecks;
import io.gitcollector.core.spi.toolkit.WebhookJson;
import java.util.Optional;


/**
 * GitLab deliveries: the secret token in {@code X-Gitlab-Token} (compared in constant time), the event in
 * {@code X-Gitlab-Event}, the delivery id in {@code X-Gitlab-Event-UUID}.
 */
public final class GitLabWebhooks {
  private static final WebhookChecks CHECKS = new WebhookChecks("GitLab", "GITLAB_WEBHOOK_TOKEN");

  private GitLabWebhooks() {}

  /** Verifies and reads a delivery: the provider's {@link io.gitcollector.core.spi.WebhookReader}. */
  public static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret) {
    CHECKS.verifyToken(delivery, secret, "X-Gitlab-Token");
    String event = CHECKS.header(delivery, "X-Gitlab-Event");
    String deliveryId = CHECKS.header(delivery, "X-Gitlab-Event-UUID", "X-Gitlab-Webhook-UUID");
    JsonNode payload = WebhookJson.object(delivery.body(), "GitLab delivery " + deliveryId);
    Optional<RepositoryRef> repository = WebhookChecks.repository(JsonFields.text(payload.path("project"), "web_url")
        .or(() -> JsonFields.text(payload.path("repository"), "homepage")));
    return switch (event) {
      case "Push Hook", "Tag Push Hook" -> WebhookEvent.sync(deliveryId, event, repository);
      case "Merge Request Hook" -> WebhookEvent.refresh(deliveryId, event, repository,
          WebhookJson.identifier(payload.path("object_attributes").path("iid"), "the merge request's iid"));
      case "Issue Hook", "Confidential Issue Hook" -> WebhookEvent.refetch(deliveryId, event, repository,
          EntityKind.ISSUE, key(payload.path("object_attributes").path("iid"), "the issue's iid"));
      // a note on an issue or on a merge request; notes on commits and snippets are not collected
      case "Note Hook", "Confidential Note Hook" -> payload.has("issue")
          ? WebhookEvent.refetch(deliveryId, event, repository, EntityKind.ISSUE,
              key(payload.path("issue").path("iid"), "the issue's iid"))
          : WebhookEvent.refresh(deliveryId, event, repository,
              WebhookJson.identifier(payload.path("merge_request").path("iid"), "the merge request's iid"));
      case "Pipeline Hook" -> WebhookEvent.refetch(deliveryId, event, repository, EntityKind.CI_RUN,
          key(payload.path("object_attributes").path("id"), "the pipeline's id"));
      case "Deployment Hook" -> WebhookEvent.refetch(deliveryId, event, repository, EntityKind.DEPLOYMENT,
          key(payload.path("deployment_id"), "the deployment's id"));
      case "Release Hook" -> WebhookEvent.refetch(deliveryId, event, repository, EntityKind.RELEASE,
          JsonFields.text(payload, "tag"));
      default -> WebhookEvent.ignore(deliveryId, event, repository);
    };
  }

  private static Optional<String> key(JsonNode node, String what) {
    return WebhookJson.identifier(node, what).stream().mapToObj(Long::toString).findFirst();
  }
}
