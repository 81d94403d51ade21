package io.gitcollector.github.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.model.Review;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GitHub's published example responses, read into the normalized records. */
class GitHubMapperTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = GitHubMapperTest.class.getResourceAsStream("/github-examples/" + name)) {
      return JSON.readTree(in);
    }
  }

  static void assertValid(Envelope envelope) throws IOException {
    JsonNode json = JSON.readTree(EnvelopeCodec.toJson(envelope));
    assertEquals(List.of(), EnvelopeSchemas.violations(json), json::toString);
  }

  @Test
  void repositoriesGet() throws IOException {
    Repository repository = GitHubMapper.repository(fixture("repos-get.200.default-response.json"));
    assertEquals("1296269", repository.platformId());
    assertEquals("octocat/Hello-World", repository.fullName());
    assertEquals("master", repository.defaultBranch());
    assertEquals("public", repository.visibility());
    assertEquals(Optional.of("This your first repo!"), repository.description());
    assertEquals(80, repository.stars());
    assertEquals(9, repository.forks());
    assertEquals(Instant.parse("2011-01-26T19:14:43Z"), repository.updatedAt());
    assertEquals(Optional.of(Instant.parse("2011-01-26T19:06:43Z")), repository.pushedAt());
    assertValid(Envelope.of("github", "github:github.com/octocat/hello-world", repository));
  }

  @Test
  void repositoriesGetCommitWithStatsAndFiles() throws IOException {
    Commit commit = GitHubMapper.restCommit(fixture("repos-get-commit.200.default.json"));
    assertEquals("6dcb09b5b57875f334f61aebed695e2e4193db5e", commit.sha());
    assertEquals(104, commit.additions());
    assertEquals(4, commit.deletions());
    assertEquals(List.of(new FileChange("file1.txt", "modified", 10, 2, Optional.empty())), commit.files());
    assertEquals("mona@github.com", commit.author().email());
    assertEquals(Optional.of("octocat"), commit.author().login());
    assertEquals(List.of("6dcb09b5b57875f334f61aebed695e2e4193db5e"), commit.parents());
    assertValid(Envelope.of("github", "github:github.com/octocat/hello-world", commit));
  }

  @Test
  void pullsListReviews() throws IOException {
    Review review = GitHubMapper.restReview(fixture("pulls-list-reviews.200.default.json").get(0));
    assertEquals("80", review.platformId());
    assertEquals("APPROVED", review.state());
    assertEquals(Optional.of("octocat"), review.author());
    assertEquals(Optional.of(Instant.parse("2019-11-17T17:43:43Z")), review.submittedAt());
    assertEquals(Optional.of("ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"), review.commitSha());
  }

  @Test
  void reposListContributors() throws IOException {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    Contributor contributor = GitHubMapper.contributor(
        fixture("repos-list-contributors.200.response-if-repository-contains-content.json").get(0), now);
    assertEquals(Optional.of("octocat"), contributor.login());
    assertEquals(32, contributor.contributions());
    assertValid(Envelope.of("github", "github:github.com/octocat/hello-world", contributor));
  }

  @Test
  void reposListCommitsGivesTheHeadShaTheProbeReads() throws IOException {
    JsonNode list = fixture("repos-list-commits.200.default.json");
    assertEquals("6dcb09b5b57875f334f61aebed695e2e4193db5e", list.get(0).path("sha").asText());
    assertTrue(PlatformResponses.nextLink("<https://api.github.com/resource?page=2>; rel=\"next\", "
        + "<https://api.github.com/resource?page=5>; rel=\"last\"").orElseThrow().endsWith("page=2"));
  }

  @Test
  void restIssuesAreReadFromGitHubsOwnExamplesAndPullRequestsAreToldApart() throws IOException {
    JsonNode listed = fixture("issues-list-for-repo.200.default.json").get(0);
    org.junit.jupiter.api.Assertions.assertTrue(GitHubMapper.isPullRequest(listed), "the list's example is a pull"
        + " request in its issue form");
    JsonNode single = fixture("issues-get.200.default.json");
    io.gitcollector.core.model.Comment comment = GitHubMapper.restComment(fixture(
        "issues-list-comments.200.default.json").get(0));
    io.gitcollector.core.model.Issue issue = GitHubMapper.restIssue(single, java.util.List.of(comment));
    assertEquals(1347, issue.number());
    assertEquals("open", issue.state());
    assertEquals(java.util.Optional.of("completed"), issue.stateReason());
    assertEquals("Found a bug", issue.title());
    assertEquals(java.util.Optional.of("octocat"), issue.author());
    assertEquals(java.util.List.of("bug"), issue.labels());
    assertEquals(java.util.List.of("octocat"), issue.assignees());
    assertEquals(java.util.Optional.of("v1.0"), issue.milestone());
    assertEquals("Me too", issue.comments().get(0).body());
    assertEquals("https://github.com/octocat/Hello-World/issues/1347", issue.webUrl());
  }
}
