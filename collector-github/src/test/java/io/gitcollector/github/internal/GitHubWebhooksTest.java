package io.gitcollector.github.internal;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedWebhookException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Real deliveries from @octokit/webhooks-examples and the signature test vector from GitHub's documentation. */
class GitHubWebhooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secret SECRET = Secret.of("webhook-secret-for-tests");

  static byte[] body(String name) throws IOException {
    try (InputStream in = GitHubWebhooksTest.class.getResourceAsStream("/github-examples/webhooks/" + name)) {
      return in.readAllBytes();
    }
  }

  static WebhookDelivery signed(String event, byte[] body) {
    return new WebhookDelivery(Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-Hub-Signature-256", WebhookSignatures.sha256(body, SECRET)), body);
  }

  @Test
  void signatureMatchesGitHubsDocumentedTestVector() {
    String signature = WebhookSignatures.sha256("Hello, World!".getBytes(StandardCharsets.UTF_8),
        Secret.of("It's a Secret to Everybody"));
    assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", signature);
  }

  @Test
  void aPushAsksForAnIncrementalSyncOfItsRepository() throws IOException {
    WebhookEvent event = GitHubWebhooks.parse(signed("push", body("push.0.json")), Optional.of(SECRET));
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, event.action());
    assertEquals("github:github.com/codertocat/hello-world", event.repository().orElseThrow().repositoryId("github"));
    assertEquals("72d3162e-cc78-11e3-81ab-4c9367dc0958", event.deliveryId());
  }

  @Test
  void pullRequestAndReviewEventsNameThePullRequest() throws IOException {
    for (String[] delivery : new String[][] {{"pull_request", "pull_request.opened.0.json"},
        {"pull_request", "pull_request.assigned.1.json"}, {"pull_request_review", "pull_request_review.submitted.0.json"}}) {
      WebhookEvent event = GitHubWebhooks.parse(signed(delivery[0], body(delivery[1])), Optional.of(SECRET));
      assertEquals(WebhookEvent.Action.REFRESH_PULL_REQUEST, event.action(), delivery[1]);
      assertEquals(OptionalLong.of(2), event.pullRequestNumber(), delivery[1]);
    }
  }

  @Test
  void repositoryEventsSyncAndOthersAreIgnored() throws IOException {
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, GitHubWebhooks.parse(
        signed("repository", body("repository.publicized.0.json")), Optional.of(SECRET)).action());
    assertEquals(WebhookEvent.Action.IGNORE, GitHubWebhooks.parse(
        signed("star", body("star.created.0.json")), Optional.of(SECRET)).action());
    assertEquals(WebhookEvent.Action.IGNORE, GitHubWebhooks.parse(
        signed("ping", body("ping.0.json")), Optional.of(SECRET)).action());
  }

  @Test
  void aTamperedBodyAWrongSecretOrNoSignatureIsRefused() throws IOException {
    byte[] original = body("push.0.json");
    WebhookDelivery genuine = signed("push", original);
    byte[] tampered = new String(original, StandardCharsets.UTF_8).replace("Hello-World", "Hello-Wörld")
        .getBytes(StandardCharsets.UTF_8);
    WebhookDelivery forged = new WebhookDelivery(genuine.headers(), tampered);
    InvalidWebhookException error = assertThrows(InvalidWebhookException.class,
        () -> GitHubWebhooks.parse(forged, Optional.of(SECRET)));
    assertTrue(error.getMessage().contains("does not match"), error.getMessage());
    assertFalse(error.getMessage().contains(SECRET.reveal()));
    assertThrows(InvalidWebhookException.class,
        () -> GitHubWebhooks.parse(genuine, Optional.of(Secret.of("another-secret"))));
    assertThrows(InvalidWebhookException.class, () -> GitHubWebhooks.parse(
        new WebhookDelivery(Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "1"), original),
        Optional.of(SECRET)));
    assertThrows(InvalidWebhookException.class, () -> GitHubWebhooks.parse(genuine, Optional.empty()));
  }

  @Test
  void aSignedBodyThatIsNotOneJsonObjectIsMalformedNotForged() throws IOException {
    String whole = new String(body("pull_request.opened.0.json"), StandardCharsets.UTF_8);
    for (String broken : new String[] {whole.substring(0, whole.length() / 2), whole + " {}", "[1, 2]", "",
        "{\"number\": 9223372036854775808}", "{\"number\": -3}", "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000)}) {
      byte[] bytes = broken.getBytes(StandardCharsets.UTF_8);
      MalformedWebhookException error = assertThrows(MalformedWebhookException.class,
          () -> GitHubWebhooks.parse(signed("pull_request", bytes), Optional.of(SECRET)));
      assertTrue(error.getMessage().contains("is not one readable JSON object")
          || error.getMessage().contains("positive whole number"), error.getMessage());
    }
  }

  @Test
  void aPullRequestNumberIsTakenFromThePullRequestBeforeTheTopLevelOne() throws IOException {
    byte[] both = ("{\"number\": 7, \"pull_request\": {\"number\": 9},"
        + " \"repository\": {\"html_url\": \"https://github.com/o/r\"}}").getBytes(StandardCharsets.UTF_8);
    assertEquals(OptionalLong.of(9), GitHubWebhooks.parse(signed("pull_request_review", both), Optional.of(SECRET))
        .pullRequestNumber());
    byte[] topOnly = ("{\"number\": 7, \"repository\": {\"name\": \"r\","
        + " \"html_url\": \"https://github.com/o/r\"}}").getBytes(StandardCharsets.UTF_8);
    WebhookEvent event = GitHubWebhooks.parse(signed("pull_request", topOnly), Optional.of(SECRET));
    assertEquals(OptionalLong.of(7), event.pullRequestNumber());
    assertEquals("github:github.com/o/r", event.repository().orElseThrow().repositoryId("github"));
  }

  @Test
  void issueEventsAndIssueCommentsNameTheIssueAndCommentsOnAPullRequestItsPullRequest() throws IOException {
    for (String[] delivery : new String[][] {{"issues", "issues.opened.15.json"}, {"issues", "issues.deleted.4.json"},
        {"issue_comment", "issue_comment.created.0.json"}}) {
      WebhookEvent event = GitHubWebhooks.parse(signed(delivery[0], body(delivery[1])), Optional.of(SECRET));
      assertEquals(WebhookEvent.Action.REFRESH_ENTITY, event.action(), delivery[1]);
      assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.ISSUE,
          "1")), event.entity(), delivery[1]);
      assertEquals("github:github.com/codertocat/hello-world", event.repository().orElseThrow()
          .repositoryId("github"));
    }
    byte[] onPull = ("{\"action\": \"created\", \"issue\": {\"number\": 12, \"pull_request\": {\"url\": \"u\"}},"
        + " \"repository\": {\"html_url\": \"https://github.com/o/r\"}}").getBytes(StandardCharsets.UTF_8);
    WebhookEvent comment = GitHubWebhooks.parse(signed("issue_comment", onPull), Optional.of(SECRET));
    assertEquals(WebhookEvent.Action.REFRESH_PULL_REQUEST, comment.action());
    assertEquals(OptionalLong.of(12), comment.pullRequestNumber());
  }

  @Test
  void releaseEventsNameTheReleaseByItsTag() throws IOException {
    WebhookEvent event = GitHubWebhooks.parse(signed("release", body("release.published.0.json")),
        Optional.of(SECRET));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, event.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.RELEASE,
        "0.0.1")), event.entity());
  }

  @Test
  void workflowRunEventsNameTheRunAndCheckSuitesSyncTheRepository() throws IOException {
    WebhookEvent run = GitHubWebhooks.parse(signed("workflow_run", body("workflow_run.completed.1.json")),
        Optional.of(SECRET));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, run.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.CI_RUN,
        "289782451")), run.entity());
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, GitHubWebhooks.parse(signed("check_suite",
        body("check_suite.completed.0.json")), Optional.of(SECRET)).action());
  }

  @Test
  void deploymentAndDeploymentStatusEventsNameTheDeployment() throws IOException {
    for (String[] delivery : new String[][] {{"deployment", "deployment.created.0.json"},
        {"deployment_status", "deployment_status.created.0.json"}}) {
      WebhookEvent event = GitHubWebhooks.parse(signed(delivery[0], body(delivery[1])), Optional.of(SECRET));
      assertEquals(WebhookEvent.Action.REFRESH_ENTITY, event.action(), delivery[1]);
      assertEquals(io.gitcollector.core.model.EntityKind.DEPLOYMENT, event.entity().orElseThrow().kind());
    }
  }
}
