package io.gitcollector.gitlab.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** gitlab4j's recorded GitLab bodies, read into the normalized records; webhook deliveries verified and read. */
class GitLabFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secret TOKEN = Secret.of("gitlab-webhook-token");

  static byte[] bytes(String name) throws IOException {
    try (InputStream in = GitLabFixturesTest.class.getResourceAsStream("/gitlab-examples/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void commitWithStats() throws IOException {
    JsonNode node = JSON.readTree(bytes("commit.json"));
    Commit commit = GitLabMapper.commit(node);
    assertEquals(node.path("id").asText(), commit.sha());
    assertEquals(node.path("stats").path("additions").asInt(), commit.additions());
    assertEquals(node.path("stats").path("deletions").asInt(), commit.deletions());
    assertEquals(node.path("author_email").asText(), commit.author().email());
    assertEquals(node.path("parent_ids").size(), commit.parents().size());
    JsonNode envelope = JSON.readTree(EnvelopeCodec.toJson(Envelope.of("gitlab", "gitlab:gitlab.com/a/b", commit)));
    assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
  }

  @Test
  void mergeRequestWithApprovalsAndNotesAndACommitsDiff() throws IOException {
    JsonNode mergeRequest = JSON.readTree(bytes("merge-request.json"));
    JsonNode approvals = JSON.readTree(bytes("approvals.json"));
    JsonNode note = JSON.readTree(bytes("note.json"));
    io.gitcollector.core.model.PullRequest pull = GitLabMapper.mergeRequest(mergeRequest, approvals, List.of(note));
    assertEquals(mergeRequest.path("iid").asLong(), pull.number());
    assertEquals(mergeRequest.path("source_branch").asText(), pull.sourceBranch());
    assertEquals(approvals.path("approved_by").size() + (note.path("system").asBoolean() ? 0 : 1),
        pull.reviews().size());
    JsonNode envelope = JSON.readTree(EnvelopeCodec.toJson(Envelope.of("gitlab", "gitlab:gitlab.com/a/b", pull)));
    assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
    List<JsonNode> diffs = new java.util.ArrayList<>();
    JSON.readTree(bytes("diff.json")).forEach(diffs::add);
    List<io.gitcollector.core.model.FileChange> files = GitLabMapper.fileChanges(diffs);
    assertEquals(diffs.size(), files.size());
    assertEquals(diffs.get(0).path("new_path").asText(), files.get(0).path());
  }

  static WebhookDelivery delivery(String event, String token, byte[] body) {
    return new WebhookDelivery(Map.of("X-Gitlab-Event", event, "X-Gitlab-Token", token, "X-Gitlab-Event-UUID",
        "13792a34-cac6-4fda-95a8-c58e00a3954e"), body);
  }

  @Test
  void deliveriesAreVerifiedByTokenAndRead() throws IOException {
    WebhookEvent push = GitLabWebhooks.parse(delivery("Push Hook", TOKEN.reveal(), bytes("webhooks/push-event.json")),
        Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, push.action());
    assertEquals("gitlab:example.com/mike/diaspora", push.repository().orElseThrow().repositoryId("gitlab"));
    assertEquals("13792a34-cac6-4fda-95a8-c58e00a3954e", push.deliveryId());
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, GitLabWebhooks.parse(delivery("Tag Push Hook",
        TOKEN.reveal(), bytes("webhooks/tag-push-event.json")), Optional.of(TOKEN)).action());
    WebhookEvent merge = GitLabWebhooks.parse(delivery("Merge Request Hook", TOKEN.reveal(),
        bytes("webhooks/merge-request-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_PULL_REQUEST, merge.action());
    assertEquals(OptionalLong.of(1), merge.pullRequestNumber());
    WebhookEvent note = GitLabWebhooks.parse(delivery("Note Hook", TOKEN.reveal(),
        bytes("webhooks/note-merge-request-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_PULL_REQUEST, note.action());
    assertEquals(WebhookEvent.Action.IGNORE, GitLabWebhooks.parse(delivery("Note Hook", TOKEN.reveal(),
        bytes("webhooks/note-commit-event.json")), Optional.of(TOKEN)).action());
    WebhookEvent pipeline = GitLabWebhooks.parse(delivery("Pipeline Hook", TOKEN.reveal(),
        bytes("webhooks/pipeline-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, pipeline.action());
    assertEquals(io.gitcollector.core.model.EntityKind.CI_RUN, pipeline.entity().orElseThrow().kind());
  }

  @Test
  void aWrongOrMissingTokenIsRefused() throws IOException {
    byte[] body = bytes("webhooks/push-event.json");
    InvalidWebhookException error = assertThrows(InvalidWebhookException.class,
        () -> GitLabWebhooks.parse(delivery("Push Hook", "guessed-token", body), Optional.of(TOKEN)));
    assertTrue(error.getMessage().contains("does not match"));
    assertFalse(error.getMessage().contains(TOKEN.reveal()));
    assertThrows(InvalidWebhookException.class, () -> GitLabWebhooks.parse(
        new WebhookDelivery(Map.of("X-Gitlab-Event", "Push Hook"), body), Optional.of(TOKEN)));
    assertThrows(InvalidWebhookException.class, () -> GitLabWebhooks.parse(
        delivery("Push Hook", TOKEN.reveal(), body), Optional.empty()));
  }

  @Test
  void issueAndIssueNoteDeliveriesNameTheIssue() throws IOException {
    WebhookEvent issue = GitLabWebhooks.parse(delivery("Issue Hook", TOKEN.reveal(),
        bytes("webhooks/issue-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, issue.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.ISSUE,
        "23")), issue.entity());
    assertEquals("gitlab:example.com/gitlabhq/gitlab-test", issue.repository().orElseThrow().repositoryId("gitlab"));
    WebhookEvent note = GitLabWebhooks.parse(delivery("Note Hook", TOKEN.reveal(),
        bytes("webhooks/note-issue-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, note.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.ISSUE,
        "17")), note.entity());
  }

  @Test
  void gitLabsIssueExampleIsReadWithoutItsSystemNotes() throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode note = json.readTree(bytes("note.json"));
    com.fasterxml.jackson.databind.node.ObjectNode system = note.deepCopy();
    system.put("system", true);
    io.gitcollector.core.model.Issue issue = GitLabMapper.issue(json.readTree(bytes("issue.json")),
        java.util.List.of(note, system));
    assertEquals(1, issue.number());
    assertEquals("closed", issue.state());
    assertEquals(Optional.of("root"), issue.author());
    assertEquals(java.util.List.of("lennie"), issue.assignees());
    assertEquals(Optional.of("v3.0"), issue.milestone());
    assertEquals(java.util.Optional.of(java.time.Instant.parse("2016-01-05T15:31:46.176Z")), issue.closedAt());
    assertEquals(1, issue.comments().size(), "the system note is left out");
    assertEquals("http://example.com/example/example/-/issues/1", issue.webUrl());
  }

  @Test
  void releaseDeliveriesAndGitLabsReleaseExampleAreRead() throws IOException {
    WebhookEvent release = GitLabWebhooks.parse(delivery("Release Hook", TOKEN.reveal(),
        bytes("go-playground/release-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, release.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.RELEASE,
        "v1.1")), release.entity());
    io.gitcollector.core.model.Release read = GitLabMapper.release(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(bytes("releases.json")).get(0));
    assertEquals("v0.2", read.tag());
    assertEquals("Awesome app v0.2 beta", read.name());
    assertEquals(Optional.of("079e90101242458910cccd35eab0e211dfc359c0"), read.targetSha());
    assertEquals(Optional.of("root"), read.author());
    assertEquals(Optional.of(java.time.Instant.parse("2019-01-03T01:56:19.539Z")), read.publishedAt());
  }

  @Test
  void gitLabsPipelineExampleIsReadAsACiRun() throws IOException {
    io.gitcollector.core.model.CiRun run = GitLabMapper.pipeline(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(bytes("pipeline.json")));
    assertEquals("46", run.platformId());
    assertEquals("success", run.status());
    assertEquals("Custom pipeline name", run.name());
    assertEquals("a91957a858320c0e17f3a0eca7cfacbff50ea29a", run.headSha());
    assertEquals(Optional.of("main"), run.headBranch());
    assertEquals(Optional.of(123L), run.durationSeconds(), "GitLab's own duration");
    assertEquals(Optional.of(java.time.Instant.parse("2016-08-11T11:32:35.145Z")), run.finishedAt());
  }

  @Test
  void deploymentDeliveriesAndGitLabsDeploymentExampleAreRead() throws IOException {
    WebhookEvent event = GitLabWebhooks.parse(delivery("Deployment Hook", TOKEN.reveal(),
        bytes("webhooks/deployment-event.json")), Optional.of(TOKEN));
    assertEquals(WebhookEvent.Action.REFRESH_ENTITY, event.action());
    assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(
        io.gitcollector.core.model.EntityKind.DEPLOYMENT, "15")), event.entity());
    io.gitcollector.core.model.Deployment deployment = GitLabMapper.deployment(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes("deployment.json")),
        io.gitcollector.core.model.RepositoryRef.parse("https://gitlab.example.com/group/project"));
    assertEquals("42", deployment.platformId());
    assertEquals("a91957a858320c0e17f3a0eca7cfacbff50ea29a", deployment.sha());
    assertEquals(Optional.of("master"), deployment.ref());
    assertEquals("pending", deployment.status(), "the example has no status: GitLab's first is created");
    assertEquals(1, deployment.statuses().size());
  }
}
