package io.gitcollector.github.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.core.spi.toolkit.WebhookChecks;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * GitHub webhook deliveries: {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body, hex, compared in constant
 * time), {@code X-GitHub-Event} and {@code X-GitHub-Delivery}.
 */
public final class GitHubWebhooks {
  private static final WebhookChecks CHECKS = new WebhookChecks("GitHub", "GITHUB_WEBHOOK_SECRET");
  private static final JsonFactory JSON = new JsonFactory();

  private GitHubWebhooks() {}

  /** Verifies and reads a delivery: the provider's {@link io.gitcollector.core.spi.WebhookReader}. */
  public static WebhookEvent parse(WebhookDelivery delivery, Optional<Secret> secret) {
    CHECKS.verifyHmacSha256(delivery, secret, "X-Hub-Signature-256");
    String event = CHECKS.header(delivery, "X-GitHub-Event");
    String deliveryId = CHECKS.header(delivery, "X-GitHub-Delivery");
    Fields payload;
    try {
      payload = Fields.read(delivery.body());
    } catch (IOException e) {
      throw new MalformedWebhookException("the body of GitHub delivery " + deliveryId + " is not one readable JSON"
          + " object: " + e.getClass().getSimpleName(), e);
    }
    Optional<RepositoryRef> repository = WebhookChecks.repository(payload.repositoryUrl());
    return switch (event) {
      // a check suite names no workflow run: an incremental sync reads the runs that changed
      case "push", "repository", "create", "delete", "check_suite" -> WebhookEvent.sync(deliveryId, event,
          repository);
      case "workflow_run" -> WebhookEvent.refetch(deliveryId, event, repository, EntityKind.CI_RUN,
          payload.workflowRunId().stream().mapToObj(Long::toString).findFirst());
      case "pull_request", "pull_request_review", "pull_request_review_comment" -> WebhookEvent.refresh(deliveryId,
          event, repository, payload.pullRequestNumber().isPresent() ? payload.pullRequestNumber() : payload.number());
      // a comment on a pull request arrives as an issue_comment whose issue is the pull request's issue form
      case "issues", "issue_comment" -> WebhookEvent.refetch(deliveryId, event, repository,
          payload.issueIsPullRequest() ? EntityKind.PULL_REQUEST : EntityKind.ISSUE,
          payload.issueNumber().stream().mapToObj(Long::toString).findFirst());
      // a deployment status names its deployment: the deployment is fetched again with all its statuses
      case "deployment", "deployment_status" -> WebhookEvent.refetch(deliveryId, event, repository,
          EntityKind.DEPLOYMENT, payload.deploymentId().stream().mapToObj(Long::toString).findFirst());
      case "release" -> WebhookEvent.refetch(deliveryId, event, repository, EntityKind.RELEASE, payload.releaseTag());
      default -> WebhookEvent.ignore(deliveryId, event, repository);
    };
  }

  /**
   * The fields a delivery is acted on by ({@code repository.html_url}, {@code pull_request.number}, the top-level
   * {@code number}, {@code issue.number} and whether that issue is a pull request's, {@code release.tag_name},
   * {@code workflow_run.id}, {@code deployment.id}), read by streaming over the body: deliveries run to tens of
   * kilobytes and arrive many a second, and a tree of the whole payload would be built only to read a few values.
   * The whole body is still read, so a malformed one is refused as before.
   */
  record Fields(Optional<String> repositoryUrl, OptionalLong pullRequestNumber, OptionalLong number,
      OptionalLong issueNumber, boolean issueIsPullRequest, Optional<String> releaseTag, OptionalLong workflowRunId,
      OptionalLong deploymentId) {
    static Fields read(byte[] body) throws IOException {
      Optional<String> repositoryUrl = Optional.empty();
      OptionalLong pullRequestNumber = OptionalLong.empty();
      OptionalLong number = OptionalLong.empty();
      OptionalLong issueNumber = OptionalLong.empty();
      boolean issueIsPullRequest = false;
      Optional<String> releaseTag = Optional.empty();
      OptionalLong workflowRunId = OptionalLong.empty();
      OptionalLong deploymentId = OptionalLong.empty();
      try (JsonParser parser = JSON.createParser(body)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new JsonParseException(parser, "a delivery is a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("repository") && value == JsonToken.START_OBJECT) {
            repositoryUrl = textField(parser, "html_url");
          } else if (field.equals("pull_request") && value == JsonToken.START_OBJECT) {
            pullRequestNumber = numberField(parser, "number");
          } else if (field.equals("issue") && value == JsonToken.START_OBJECT) {
            IssueFields issue = IssueFields.read(parser);
            issueNumber = issue.number();
            issueIsPullRequest = issue.pullRequest();
          } else if (field.equals("deployment") && value == JsonToken.START_OBJECT) {
            deploymentId = numberField(parser, "id");
          } else if (field.equals("workflow_run") && value == JsonToken.START_OBJECT) {
            workflowRunId = numberField(parser, "id");
          } else if (field.equals("release") && value == JsonToken.START_OBJECT) {
            releaseTag = textField(parser, "tag_name");
          } else if (field.equals("number") && value.isNumeric()) {
            number = OptionalLong.of(identifier(parser, "number"));
          } else {
            parser.skipChildren();
          }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
          throw new JsonParseException(parser, "unexpected content after the delivery's object");
        }
      }
      return new Fields(repositoryUrl, pullRequestNumber, number, issueNumber, issueIsPullRequest, releaseTag,
          workflowRunId, deploymentId);
    }

    /** An {@code issue} object: its number, and whether it carries a {@code pull_request} object. */
    private record IssueFields(OptionalLong number, boolean pullRequest) {
      static IssueFields read(JsonParser parser) throws IOException {
        OptionalLong number = OptionalLong.empty();
        boolean pullRequest = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("number") && value.isNumeric()) {
            number = OptionalLong.of(identifier(parser, "issue.number"));
          } else {
            pullRequest |= field.equals("pull_request") && value == JsonToken.START_OBJECT;
            parser.skipChildren();
          }
        }
        return new IssueFields(number, pullRequest);
      }
    }

    /** Reads the object the parser is at to its end, returning one of its text fields. */
    private static Optional<String> textField(JsonParser parser, String name) throws IOException {
      Optional<String> found = Optional.empty();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals(name) && value == JsonToken.VALUE_STRING) {
          found = Optional.of(parser.getText());
        } else {
          parser.skipChildren();
        }
      }
      return found;
    }

    /** The number the parser is at, if it is a positive whole number that fits a long. */
    private static long identifier(JsonParser parser, String name) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 1) {
        throw new MalformedWebhookException("'" + name + "' must be a positive whole number below 2^63, was "
            + parser.getText());
      }
      return parser.getLongValue();
    }

    /** Reads the object the parser is at to its end, returning one of its integer fields. */
    private static OptionalLong numberField(JsonParser parser, String name) throws IOException {
      OptionalLong found = OptionalLong.empty();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals(name) && value.isNumeric()) {
          found = OptionalLong.of(identifier(parser, name));
        } else {
          parser.skipChildren();
        }
      }
      return found;
    }
  }
}
