package io.gitcollector.bitbucket.internal;

import io.gitcollector.core.spi.WebhookSignatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Bitbucket's OpenAPI examples and real webhook bodies, read into the normalized records. */
class BitbucketFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Secret SECRET = Secret.of("bitbucket-webhook-secret");

  static byte[] bytes(String name) throws IOException {
    try (InputStream in = BitbucketFixturesTest.class.getResourceAsStream("/bitbucket-examples/" + name)) {
      return in.readAllBytes();
    }
  }

  static void assertValid(Envelope envelope) throws IOException {
    JsonNode json = JSON.readTree(EnvelopeCodec.toJson(envelope));
    assertEquals(List.of(), EnvelopeSchemas.violations(json), json::toString);
  }

  @Test
  void commitWithItsDiffstat() throws IOException {
    JsonNode commit = JSON.readTree(bytes("get_repositories_workspace_repo_slug_commit_commit.200.response.json"));
    List<JsonNode> diffstat = new ArrayList<>();
    JSON.readTree(bytes("get_repositories_workspace_repo_slug_diffstat_spec.200.response.json")).path("values")
        .forEach(diffstat::add);
    Commit normalized = BitbucketMapper.commit(commit, diffstat, true);
    assertEquals("f7591a13eda445d9a9167f98eb870319f4b6c2d8", normalized.sha());
    assertEquals("Brodie Rao", normalized.author().name());
    assertEquals("a@b.c", normalized.author().email());
    assertEquals(Optional.of("brodie"), normalized.author().login());
    assertEquals(2, normalized.additions());
    assertEquals(1, normalized.deletions());
    assertEquals(List.of(new FileChange("setup.py", "modified", 2, 1, Optional.empty())), normalized.files());
    assertEquals(commit.path("parents").size(), normalized.parents().size());
    assertValid(Envelope.of("bitbucket", "bitbucket:bitbucket.org/bitbucket/geordi", normalized));
  }

  @Test
  void pullRequestsOfWebhookPayloadsWithTheirApprovals() throws IOException {
    JsonNode approved = JSON.readTree(bytes("webhooks/pull-request-approved.json")).path("pullrequest");
    PullRequest pull = BitbucketMapper.pullRequest(approved, List.of());
    assertEquals(1, pull.number());
    assertEquals("branch2", pull.sourceBranch());
    assertEquals("master", pull.targetBranch());
    assertEquals(Optional.of("emmap1"), pull.author());
    assertEquals(Optional.of("764413d85e29"), pull.mergeCommitSha());
  }

  static WebhookDelivery signed(String eventKey, byte[] body) {
    return new WebhookDelivery(Map.of("X-Event-Key", eventKey, "X-Request-UUID", "f7ab2ab2-0a48-4e6e-9f57-7a8a3e0e3c01",
        "X-Hub-Signature", WebhookSignatures.sha256(body, SECRET)), body);
  }

  @Test
  void everyHandledDeliveryIsVerifiedAndRead() throws IOException {
    WebhookEvent push = BitbucketWebhooks.parse(signed("repo:push", bytes("webhooks/repo-push.json")),
        Optional.of(SECRET));
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, push.action());
    assertEquals("bitbucket:bitbucket.org/team_name/repo_name",
        push.repository().orElseThrow().repositoryId("bitbucket"));
    assertEquals("f7ab2ab2-0a48-4e6e-9f57-7a8a3e0e3c01", push.deliveryId());
    for (String[] delivery : new String[][] {{"pullrequest:created", "pull-request-created.json"},
        {"pullrequest:updated", "pull-request-updated.json"}, {"pullrequest:approved", "pull-request-approved.json"},
        {"pullrequest:unapproved", "pull-request-approval-removed.json"},
        {"pullrequest:fulfilled", "pull-request-merged.json"}, {"pullrequest:rejected", "pull-request-declined.json"},
        {"pullrequest:comment_created", "pull-request-comment-created.json"}}) {
      WebhookEvent event = BitbucketWebhooks.parse(signed(delivery[0], bytes("webhooks/" + delivery[1])),
          Optional.of(SECRET));
      assertEquals(WebhookEvent.Action.REFRESH_PULL_REQUEST, event.action(), delivery[1]);
      assertEquals(OptionalLong.of(1), event.pullRequestNumber(), delivery[1]);
    }
    for (String[] delivery : new String[][] {{"issue:created", "issue-created.json"},
        {"issue:updated", "issue-updated.json"}, {"issue:comment_created", "issue-comment-created.json"}}) {
      WebhookEvent event = BitbucketWebhooks.parse(signed(delivery[0], bytes("webhooks/" + delivery[1])),
          Optional.of(SECRET));
      assertEquals(WebhookEvent.Action.REFRESH_ENTITY, event.action(), delivery[1]);
      assertEquals(Optional.of(new io.gitcollector.core.model.EntityRef(io.gitcollector.core.model.EntityKind.ISSUE,
          "1")), event.entity(), delivery[1]);
    }
  }

  @Test
  void aTamperedDeliveryOrAWrongSecretIsRefused() throws IOException {
    byte[] body = bytes("webhooks/repo-push.json");
    WebhookDelivery genuine = signed("repo:push", body);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("repo_name", "other_repo")
        .getBytes(StandardCharsets.UTF_8);
    InvalidWebhookException error = assertThrows(InvalidWebhookException.class, () -> BitbucketWebhooks.parse(
        new WebhookDelivery(genuine.headers(), tampered), Optional.of(SECRET)));
    assertTrue(error.getMessage().contains("does not match"));
    assertFalse(error.getMessage().contains(SECRET.reveal()));
    assertThrows(InvalidWebhookException.class,
        () -> BitbucketWebhooks.parse(genuine, Optional.of(Secret.of("wrong"))));
    assertThrows(InvalidWebhookException.class, () -> BitbucketWebhooks.parse(genuine, Optional.empty()));
  }

  @Test
  void anIssueOfAtlassiansRecordedResponsesIsRead() throws IOException {
    io.gitcollector.core.model.Issue issue = BitbucketMapper.issue(JSON.readTree(bytes("issues.3.GET.json")),
        java.util.List.of());
    JsonNode raw = JSON.readTree(bytes("issues.3.GET.json"));
    assertEquals(raw.path("id").asLong(), issue.number());
    assertEquals(raw.path("title").asText(), issue.title());
    assertEquals(Optional.of(raw.path("reporter").path("nickname").asText()), issue.author());
    assertEquals(raw.path("links").path("html").path("href").asText(), issue.webUrl());
    assertEquals(java.util.List.of("new", "open", "on hold").contains(raw.path("state").asText()) ? "open" : "closed",
        issue.state());
  }

  @Test
  void atlassiansRecordedPipelineIsReadAsACiRunAndACommitStatusSyncsItsRepository() throws IOException {
    io.gitcollector.core.model.CiRun run = BitbucketMapper.pipeline(JSON.readTree(bytes("pipelines.GET.page1.json"))
        .path("values").get(0), io.gitcollector.core.model.RepositoryRef.parse(
            "https://bitbucket.org/TestWorkspace1/testrepository"));
    assertEquals("{PipelineUuid}", run.platformId());
    assertEquals("cancelled", run.status(), "STOPPED");
    assertEquals("COMPLETED/STOPPED", run.platformStatus());
    assertEquals("manual", run.event());
    assertEquals("30c1b58a2341992fe6870756a8880d5006ddb18e", run.headSha());
    assertEquals(Optional.of("master"), run.headBranch());
    assertEquals(Optional.of(0L), run.durationSeconds());
    assertEquals("https://bitbucket.org/TestWorkspace1/testrepository/pipelines/results/25", run.webUrl());
    assertEquals(WebhookEvent.Action.SYNC_REPOSITORY, BitbucketWebhooks.parse(signed("repo:commit_status_created",
        bytes("webhooks/repo-commit-status-created.json")), Optional.of(SECRET)).action());
  }
}
