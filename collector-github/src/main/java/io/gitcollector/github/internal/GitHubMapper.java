package io.gitcollector.github.internal;

import static io.gitcollector.core.spi.toolkit.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.Comment;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.Deployment;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Release;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.toolkit.JsonFields;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** GitHub's REST and GraphQL shapes to the normalized records. */
final class GitHubMapper {
  static final JsonFields FIELDS = new JsonFields("GitHub");

  private GitHubMapper() {}

  /** A pull request's number and update time, from a GraphQL node ({@code updatedAt}) or a REST item. */
  static UpdateTimeWalk.Stamp pullStamp(JsonNode node) {
    return new UpdateTimeWalk.Stamp(FIELDS.required(node, "number").asLong(),
        FIELDS.requiredInstant(node, node.has("updatedAt") ? "updatedAt" : "updated_at"));
  }

  /** An issue's number and update time, from a GraphQL node or a REST item. */
  static UpdateTimeWalk.Stamp issueStamp(JsonNode node) {
    return pullStamp(node);
  }

  /** Whether a REST {@code /issues} item is a pull request (REST lists both; the issues stream emits issues only). */
  static boolean isPullRequest(JsonNode restIssue) {
    return restIssue.has("pull_request");
  }

  /** A GraphQL {@code Issue} node; {@code allComments} replaces the nested page when it did not hold them all. */
  static Issue issue(JsonNode node, Optional<List<Comment>> allComments) {
    List<Comment> comments = allComments.orElseGet(() -> {
      List<Comment> nested = new ArrayList<>();
      for (JsonNode comment : node.path("comments").path("nodes")) {
        nested.add(new Comment(FIELDS.required(comment, "databaseId").asText(), text(comment.path("author"), "login"),
            comment.path("body").asText(""), FIELDS.requiredInstant(comment, "createdAt"),
            FIELDS.requiredInstant(comment, "updatedAt")));
      }
      return nested;
    });
    return Issue.builder()
        .identity(FIELDS.required(node, "databaseId").asText(), FIELDS.required(node, "number").asLong(),
            node.path("state").asText("OPEN").toLowerCase(Locale.ROOT))
        .text(node.path("title").asText(""), text(node, "body"))
        .stateReason(text(node, "stateReason").map(reason -> reason.toLowerCase(Locale.ROOT)))
        .people(text(node.path("author"), "login"), names(node.path("assignees").path("nodes"), "login"))
        .labels(names(node.path("labels").path("nodes"), "name"))
        .milestone(text(node.path("milestone"), "title"))
        .times(FIELDS.requiredInstant(node, "createdAt"), FIELDS.requiredInstant(node, "updatedAt"),
            text(node, "closedAt").map(FIELDS::instant))
        .comments(comments)
        .webUrl(node.path("url").asText(""))
        .build();
  }

  /** Whether the nested comments page held every comment. */
  static boolean commentsComplete(JsonNode node) {
    return !node.path("comments").path("pageInfo").path("hasNextPage").asBoolean(false);
  }

  /** A REST {@code /issues} item, with its comments read separately. */
  static Issue restIssue(JsonNode node, List<Comment> comments) {
    return Issue.builder()
        .identity(FIELDS.required(node, "id").asText(), FIELDS.required(node, "number").asLong(),
            node.path("state").asText("open").toLowerCase(Locale.ROOT))
        .text(node.path("title").asText(""), text(node, "body"))
        .stateReason(text(node, "state_reason").map(reason -> reason.toLowerCase(Locale.ROOT)))
        .people(text(node.path("user"), "login"), names(node.path("assignees"), "login"))
        .labels(names(node.path("labels"), "name"))
        .milestone(text(node.path("milestone"), "title"))
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
            text(node, "closed_at").map(FIELDS::instant))
        .comments(comments)
        .webUrl(node.path("html_url").asText(""))
        .build();
  }

  /** A REST issue comment. */
  static Comment restComment(JsonNode node) {
    return new Comment(FIELDS.required(node, "id").asText(), text(node.path("user"), "login"),
        node.path("body").asText(""), FIELDS.requiredInstant(node, "created_at"),
        FIELDS.requiredInstant(node, "updated_at"));
  }

  /**
   * A REST release; its commit is the tag's ({@code tags} by name), or {@code target_commitish} when that is already a
   * commit. A draft's tag may not exist yet: it points at no commit.
   */
  static Release release(JsonNode node, Map<String, String> tags) {
    String tag = FIELDS.required(node, "tag_name").asText();
    Optional<String> target = Optional.ofNullable(tags.get(tag))
        .or(() -> text(node, "target_commitish").filter(commitish -> commitish.matches("[0-9a-f]{40}")));
    return new Release(FIELDS.required(node, "id").asText(), tag, node.path("name").asText(tag), target,
        text(node.path("author"), "login"), node.path("draft").asBoolean(false),
        node.path("prerelease").asBoolean(false), FIELDS.requiredInstant(node, "created_at"),
        text(node, "published_at").map(FIELDS::instant), text(node, "body"), node.path("html_url").asText(""));
  }

  /**
   * A workflow run. GitHub's status (requested, waiting, pending, queued, in_progress, completed) and, once completed,
   * conclusion become one normalized status; a run has no finish time of its own, so a completed run's last update is
   * it.
   */
  static CiRun workflowRun(JsonNode node) {
    String status = node.path("status").asText("queued");
    String conclusion = node.path("conclusion").asText("");
    String normalized = switch (status) {
      case "in_progress" -> "running";
      case "completed" -> switch (conclusion) {
        case "success" -> "success";
        case "cancelled" -> "cancelled";
        case "skipped", "neutral", "stale" -> "skipped";
        default -> "failure";
      };
      default -> "queued";
    };
    Instant updated = FIELDS.requiredInstant(node, "updated_at");
    Optional<Instant> started = text(node, "run_started_at").map(FIELDS::instant);
    Optional<Instant> finished = status.equals("completed") ? Optional.of(updated) : Optional.empty();
    return new CiRun(FIELDS.required(node, "id").asText(), node.path("name").asText(""),
        node.path("event").asText(""), FIELDS.required(node, "head_sha").asText(), text(node, "head_branch"),
        normalized, status.equals("completed") ? status + "/" + conclusion : status,
        Math.max(1, node.path("run_attempt").asInt(1)), FIELDS.requiredInstant(node, "created_at"), started,
        finished, CiRun.secondsBetween(started, finished), updated, node.path("html_url").asText(""));
  }

  /** A deployment with its statuses (GitHub lists them newest first; the record holds them oldest first). */
  static Deployment deployment(JsonNode node, List<JsonNode> newestFirst) {
    List<Deployment.Status> statuses = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      JsonNode status = newestFirst.get(i);
      String state = status.path("state").asText("pending");
      statuses.add(new Deployment.Status(deploymentState(state), state, FIELDS.requiredInstant(status, "created_at"),
          text(status, "description")));
    }
    Optional<Deployment.Status> latest = statuses.isEmpty() ? Optional.empty()
        : Optional.of(statuses.get(statuses.size() - 1));
    return new Deployment(FIELDS.required(node, "id").asText(), node.path("environment").asText(""),
        FIELDS.required(node, "sha").asText(), text(node, "ref"), text(node.path("creator"), "login"),
        latest.map(Deployment.Status::state).orElse("pending"),
        latest.map(Deployment.Status::platformState).orElse("pending"), latest.map(Deployment.Status::createdAt),
        statuses, FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
        node.path("url").asText(""));
  }

  /** GitHub's deployment states: queued is pending; the others are the normalized ones. */
  private static String deploymentState(String state) {
    return switch (state) {
      case "in_progress", "success", "failure", "error", "inactive" -> state;
      default -> "pending";
    };
  }

  /** What changes when a listed release is edited (download counts of its assets do not count). */
  static String releaseVersion(JsonNode node) {
    return node.path("name").asText() + "|" + node.path("draft").asBoolean() + "|"
        + node.path("prerelease").asBoolean() + "|" + node.path("published_at").asText() + "|"
        + node.path("target_commitish").asText() + "|" + node.path("body").asText().hashCode();
  }

  /** One text field of each element of an array (labels by name, people by login). */
  private static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    for (JsonNode element : array) {
      text(element, field).ifPresent(names::add);
    }
    return names;
  }

  /** {@code GET /repos/{owner}/{repo}}. */
  static Repository repository(JsonNode node) {
    boolean isPrivate = node.path("private").asBoolean(false);
    return Repository.builder()
        .platformId(FIELDS.required(node, "id").asText())
        .names(FIELDS.required(node, "name").asText(), FIELDS.required(node, "full_name").asText())
        .description(text(node, "description"))
        .defaultBranch(node.path("default_branch").asText("main"))
        .visibility(text(node, "visibility").orElse(isPrivate ? "private" : "public"))
        .fork(node.path("fork").asBoolean(false))
        .archived(node.path("archived").asBoolean(false))
        .language(text(node, "language"))
        .counts(node.path("stargazers_count").asLong(), node.path("forks_count").asLong(),
            node.path("open_issues_count").asLong())
        .sizeKb(node.path("size").asLong())
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
            text(node, "pushed_at").map(FIELDS::instant))
        .webUrl(FIELDS.required(node, "html_url").asText())
        .build();
  }


  /** A node of GraphQL {@code Commit.history}. */
  static Commit historyCommit(JsonNode node) {
    List<String> parents = new ArrayList<>();
    for (JsonNode parent : node.path("parents").path("nodes")) {
      parents.add(parent.path("oid").asText());
    }
    JsonNode changed = node.path("changedFilesIfAvailable");
    return new Commit(
        FIELDS.required(node, "oid").asText(),
        parents,
        graphqlActor(node.path("author")),
        graphqlActor(node.path("committer")),
        node.path("message").asText(""),
        node.path("additions").asInt(),
        node.path("deletions").asInt(),
        changed.isNumber() ? changed.asInt() : -1,
        List.of(),
        node.path("url").asText(""));
  }

  /** {@code GET /repos/{owner}/{repo}/commits/{ref}}: the same commit, with per-file changes. */
  static Commit restCommit(JsonNode node) {
    List<String> parents = new ArrayList<>();
    for (JsonNode parent : node.path("parents")) {
      parents.add(parent.path("sha").asText());
    }
    List<FileChange> files = new ArrayList<>();
    for (JsonNode file : node.path("files")) {
      files.add(new FileChange(
          file.path("filename").asText(),
          file.path("status").asText("modified"),
          file.path("additions").asInt(),
          file.path("deletions").asInt(),
          text(file, "previous_filename")));
    }
    JsonNode commit = node.path("commit");
    return new Commit(
        FIELDS.required(node, "sha").asText(),
        parents,
        restActor(commit.path("author"), node.path("author")),
        restActor(commit.path("committer"), node.path("committer")),
        commit.path("message").asText(""),
        node.path("stats").path("additions").asInt(),
        node.path("stats").path("deletions").asInt(),
        files.size(),
        files,
        node.path("html_url").asText(""));
  }

  /** A commit with the files of its REST form and the rest of its GraphQL form. */
  static Commit withFiles(Commit commit, Commit detailed) {
    return new Commit(commit.sha(), commit.parents(), commit.author(), commit.committer(), commit.message(),
        commit.additions(), commit.deletions(), detailed.files().size(), detailed.files(), commit.webUrl());
  }

  /** The same commit without its list of files (their number stays), as GraphQL gives it. */
  static Commit withoutFileList(Commit commit) {
    return new Commit(commit.sha(), commit.parents(), commit.author(), commit.committer(), commit.message(),
        commit.additions(), commit.deletions(), commit.changedFiles(), List.of(), commit.webUrl());
  }

  /**
   * {@code GET /repos/{owner}/{repo}/pulls} item or {@code /pulls/{n}}, normalized like the GraphQL node: the same
   * id, a {@code merged} state when it was merged, and a merge commit only then (REST names a test merge commit for
   * open pull requests too).
   */
  static PullRequest restPullRequest(JsonNode node, List<Review> reviews) {
    List<String> labels = new ArrayList<>();
    for (JsonNode label : node.path("labels")) {
      labels.add(label.path("name").asText());
    }
    Optional<Instant> merged = text(node, "merged_at").map(FIELDS::instant);
    String state = merged.isPresent() ? "merged" : node.path("state").asText("open").toLowerCase(Locale.ROOT);
    return PullRequest.builder()
        .identity(FIELDS.required(node, "id").asText(), FIELDS.required(node, "number").asLong(), state)
        .title(node.path("title").asText(""))
        .author(text(node.path("user"), "login"))
        .branches(node.path("head").path("ref").asText(""), node.path("base").path("ref").asText(""))
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"), merged,
            text(node, "closed_at").map(FIELDS::instant))
        .mergeCommitSha(merged.isPresent() ? text(node, "merge_commit_sha") : Optional.empty())
        .draft(node.path("draft").asBoolean(false))
        .labels(labels)
        .reviews(reviews)
        .webUrl(node.path("html_url").asText(""))
        .build();
  }

  /** A node of GraphQL {@code Repository.pullRequests}; {@code reviews} replaces the nested ones when given. */
  static PullRequest pullRequest(JsonNode node, Optional<List<Review>> allReviews) {
    List<String> labels = new ArrayList<>();
    for (JsonNode label : node.path("labels").path("nodes")) {
      labels.add(label.path("name").asText());
    }
    List<Review> reviews = allReviews.orElseGet(() -> {
      List<Review> nested = new ArrayList<>();
      for (JsonNode review : node.path("reviews").path("nodes")) {
        nested.add(new Review(
            FIELDS.required(review, "databaseId").asText(),
            text(review.path("author"), "login"),
            review.path("state").asText("COMMENTED"),
            text(review, "body"),
            text(review, "submittedAt").map(FIELDS::instant),
            text(review.path("commit"), "oid")));
      }
      return nested;
    });
    return PullRequest.builder()
        .identity(FIELDS.required(node, "databaseId").asText(), FIELDS.required(node, "number").asLong(),
            node.path("state").asText("OPEN").toLowerCase(Locale.ROOT))
        .title(node.path("title").asText(""))
        .author(text(node.path("author"), "login"))
        .branches(node.path("headRefName").asText(""), node.path("baseRefName").asText(""))
        .times(FIELDS.requiredInstant(node, "createdAt"), FIELDS.requiredInstant(node, "updatedAt"),
            text(node, "mergedAt").map(FIELDS::instant), text(node, "closedAt").map(FIELDS::instant))
        .mergeCommitSha(text(node.path("mergeCommit"), "oid"))
        .draft(node.path("isDraft").asBoolean(false))
        .labels(labels)
        .reviews(reviews)
        .webUrl(node.path("url").asText(""))
        .build();
  }

  /** Whether the nested reviews of a GraphQL pull request are all there is. */
  static boolean reviewsComplete(JsonNode node) {
    return !node.path("reviews").path("pageInfo").path("hasNextPage").asBoolean(false);
  }

  /** {@code GET /repos/{owner}/{repo}/pulls/{n}/reviews}. */
  static Review restReview(JsonNode node) {
    return new Review(
        FIELDS.required(node, "id").asText(),
        text(node.path("user"), "login"),
        node.path("state").asText("COMMENTED"),
        text(node, "body"),
        text(node, "submitted_at").map(FIELDS::instant),
        text(node, "commit_id"));
  }

  /** {@code GET /repos/{owner}/{repo}/contributors?anon=true}. */
  static Contributor contributor(JsonNode node, Instant asOf) {
    boolean anonymous = "Anonymous".equals(node.path("type").asText());
    return new Contributor(
        anonymous ? Optional.empty() : text(node, "id"),
        anonymous ? Optional.empty() : text(node, "login"),
        text(node, "name"),
        text(node, "email"),
        node.path("contributions").asLong(),
        asOf);
  }

  private static GitIdentity graphqlActor(JsonNode actor) {
    return new GitIdentity(
        actor.path("name").asText(""),
        actor.path("email").asText(""),
        FIELDS.requiredInstant(actor, "date"),
        text(actor.path("user"), "login"));
  }

  private static GitIdentity restActor(JsonNode identity, JsonNode account) {
    return new GitIdentity(
        identity.path("name").asText(""),
        identity.path("email").asText(""),
        FIELDS.requiredInstant(identity, "date"),
        text(account, "login"));
  }

  /** An item of an owner's repository listing ({@code minimal-repository}). */
  static DiscoveredRepository discovered(JsonNode item) {
    String visibility = item.path("visibility").asText(item.path("private").asBoolean() ? "private" : "public");
    List<String> topics = new ArrayList<>();
    item.path("topics").forEach(topic -> topics.add(topic.asText()));
    return new DiscoveredRepository(item.path("id").asText(), RepositoryRef.parse(item.path("html_url").asText()),
        item.path("fork").asBoolean(), item.path("archived").asBoolean(), visibility, topics,
        item.path("size").asLong(), text(item, "pushed_at").map(FIELDS::instant));
  }
}
