package io.gitcollector.gitlab.internal;

import static io.gitcollector.core.spi.toolkit.JsonFields.nonBlank;
import static io.gitcollector.core.spi.toolkit.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Comment;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.Deployment;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Release;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.toolkit.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** GitLab REST v4 shapes to the normalized records. */
final class GitLabMapper {
  static final JsonFields FIELDS = new JsonFields("GitLab");

  private GitLabMapper() {}

  /** {@code GET /projects/:id}; its last activity is its update time. */
  static Repository repository(JsonNode node) {
    Instant updated = FIELDS.instant(text(node, "last_activity_at")
        .orElseGet(() -> FIELDS.required(node, "updated_at").asText()));
    return Repository.builder()
        .platformId(node.path("id").asText())
        .names(node.path("name").asText(), node.path("path_with_namespace").asText())
        .description(nonBlank(node, "description"))
        .defaultBranch(node.path("default_branch").asText("main"))
        .visibility(node.path("visibility").asText("private"))
        .fork(node.hasNonNull("forked_from_project"))
        .archived(node.path("archived").asBoolean(false))
        .counts(node.path("star_count").asLong(), node.path("forks_count").asLong(),
            node.path("open_issues_count").asLong())
        .times(FIELDS.instant(node.path("created_at").asText()), updated, Optional.empty())
        .webUrl(node.path("web_url").asText(""))
        .build();
  }


  /** A project of a group's listing ({@code GET /groups/:id/projects}). */
  static DiscoveredRepository discovered(JsonNode node) {
    List<String> topics = new ArrayList<>();
    node.path("topics").forEach(topic -> topics.add(topic.asText()));
    return new DiscoveredRepository(node.path("id").asText(), RepositoryRef.parse(node.path("web_url").asText()),
        node.hasNonNull("forked_from_project"), node.path("archived").asBoolean(false),
        node.path("visibility").asText("private"), topics, 0, text(node, "last_activity_at").map(FIELDS::instant));
  }

  /** A commit of {@code GET …/repository/commits?with_stats=true}. */
  static Commit commit(JsonNode node) {
    List<String> parents = new ArrayList<>();
    node.path("parent_ids").forEach(p -> parents.add(p.asText()));
    GitIdentity author = new GitIdentity(node.path("author_name").asText(""), node.path("author_email").asText(""),
        FIELDS.instant(text(node, "authored_date").orElse(node.path("created_at").asText())), Optional.empty());
    GitIdentity committer = new GitIdentity(node.path("committer_name").asText(""),
        node.path("committer_email").asText(""),
        FIELDS.instant(text(node, "committed_date").orElse(node.path("created_at").asText())), Optional.empty());
    return new Commit(node.path("id").asText(), parents, author, committer, node.path("message").asText(""),
        node.path("stats").path("additions").asInt(), node.path("stats").path("deletions").asInt(), -1, List.of(),
        node.path("web_url").asText(""));
  }

  /** The commit with its per-file changes. */
  static Commit withFiles(Commit commit, List<FileChange> changes) {
    return new Commit(commit.sha(), commit.parents(), commit.author(), commit.committer(), commit.message(),
        commit.additions(), commit.deletions(), changes.size(), changes, commit.webUrl());
  }

  /** {@code GET …/commits/:sha/diff}: GitLab gives each file's diff text, whose added and removed lines are counted. */
  static List<FileChange> fileChanges(List<JsonNode> diffs) {
    List<FileChange> changes = new ArrayList<>();
    for (JsonNode diff : diffs) {
      int additions = 0;
      int deletions = 0;
      for (String line : diff.path("diff").asText("").split("\n")) {
        if (line.startsWith("+") && !line.startsWith("+++")) {
          additions++;
        } else if (line.startsWith("-") && !line.startsWith("---")) {
          deletions++;
        }
      }
      String status = diff.path("new_file").asBoolean() ? "added" : diff.path("deleted_file").asBoolean() ? "removed"
          : diff.path("renamed_file").asBoolean() ? "renamed" : "modified";
      changes.add(new FileChange(diff.path("new_path").asText(), status, additions, deletions,
          status.equals("renamed") ? text(diff, "old_path") : Optional.empty()));
    }
    return changes;
  }

  /** A merge request with its approvals (as APPROVED reviews) and its notes other than system notes (COMMENTED). */
  static PullRequest mergeRequest(JsonNode node, JsonNode approvals, List<JsonNode> notes) {
    List<Review> reviews = new ArrayList<>();
    for (JsonNode approval : approvals.path("approved_by")) {
      JsonNode user = approval.path("user");
      reviews.add(new Review("approval:" + user.path("id").asText(), text(user, "username"), "APPROVED",
          Optional.empty(), FIELDS.instant(approvals, "updated_at"), Optional.empty()));
    }
    for (JsonNode note : notes) {
      if (note.path("system").asBoolean(false)) {
        continue;
      }
      reviews.add(new Review("note:" + note.path("id").asText(), text(note.path("author"), "username"),
          "COMMENTED", text(note, "body"), FIELDS.instant(note, "created_at"), Optional.empty()));
    }
    String state = switch (node.path("state").asText("opened")) {
      case "opened", "locked" -> "open";
      case "merged" -> "merged";
      default -> "closed";
    };
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(l -> labels.add(l.isTextual() ? l.asText() : l.path("name").asText()));
    return PullRequest.builder()
        .identity(node.path("id").asText(), node.path("iid").asLong(), state)
        .title(node.path("title").asText(""))
        .author(text(node.path("author"), "username"))
        .branches(node.path("source_branch").asText(""), node.path("target_branch").asText(""))
        .times(FIELDS.instant(node.path("created_at").asText()), FIELDS.instant(node.path("updated_at").asText()),
            FIELDS.instant(node, "merged_at"), FIELDS.instant(node, "closed_at"))
        .mergeCommitSha(text(node, "merge_commit_sha").or(() -> text(node, "squash_commit_sha")))
        .draft(node.path("draft").asBoolean(node.path("work_in_progress").asBoolean(false)))
        .labels(labels)
        .reviews(reviews)
        .webUrl(node.path("web_url").asText(""))
        .build();
  }

  /** A contributor of {@code GET …/repository/contributors}: a name, an email and a number of commits. */
  static Contributor contributor(JsonNode node, Instant now) {
    return new Contributor(Optional.empty(), Optional.empty(), text(node, "name"), text(node, "email"),
        node.path("commits").asLong(), now);
  }

  /** {@code GET /projects/:id/issues} item with its notes; system notes (events GitLab records) are left out. */
  static Issue issue(JsonNode node, List<JsonNode> notes) {
    List<Comment> comments = new ArrayList<>();
    for (JsonNode note : notes) {
      if (!note.path("system").asBoolean(false)) {
        comments.add(new Comment(FIELDS.required(note, "id").asText(), text(note.path("author"), "username"),
            note.path("body").asText(""), FIELDS.requiredInstant(note, "created_at"),
            FIELDS.requiredInstant(note, "updated_at")));
      }
    }
    List<String> assignees = new ArrayList<>();
    JsonNode people = node.path("assignees");
    if (people.isArray() && !people.isEmpty()) {
      people.forEach(person -> text(person, "username").ifPresent(assignees::add));
    } else {
      text(node.path("assignee"), "username").ifPresent(assignees::add);
    }
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(label -> labels.add(label.isTextual() ? label.asText() : label.path("name").asText()));
    String state = node.path("state").asText("opened");
    return Issue.builder()
        .identity(FIELDS.required(node, "id").asText(), FIELDS.required(node, "iid").asLong(),
            state.equals("closed") ? "closed" : "open")
        .text(node.path("title").asText(""), text(node, "description"))
        .people(text(node.path("author"), "username"), assignees)
        .labels(labels)
        .milestone(text(node.path("milestone"), "title"))
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
            text(node, "closed_at").map(FIELDS::instant))
        .comments(comments)
        .webUrl(node.path("web_url").asText(""))
        .build();
  }

  /**
   * {@code GET /projects/:id/releases} item: GitLab has no drafts; a release whose date is still to come
   * ({@code upcoming_release}) is a pre-release.
   */
  static Release release(JsonNode node) {
    String tag = FIELDS.required(node, "tag_name").asText();
    return new Release(tag, tag, node.path("name").asText(tag), text(node.path("commit"), "id"),
        text(node.path("author"), "username"), false, node.path("upcoming_release").asBoolean(false),
        FIELDS.requiredInstant(node, "created_at"), text(node, "released_at").map(FIELDS::instant),
        text(node, "description"), node.path("_links").path("self").asText(""));
  }

  /** What changes when a listed release is edited. */
  static String releaseVersion(JsonNode node) {
    return node.path("name").asText() + "|" + node.path("released_at").asText() + "|"
        + node.path("commit").path("id").asText() + "|" + node.path("description").asText().hashCode();
  }

  /**
   * {@code GET /projects/:id/pipelines/:pipeline_id}. GitLab's statuses become the normalized ones: created, waiting
   * for a resource, preparing, pending, scheduled and manual (waiting for someone) are queued; failed is failure,
   * canceled cancelled. Its duration leaves out the time queued.
   */
  static CiRun pipeline(JsonNode node) {
    String status = node.path("status").asText("created");
    String normalized = switch (status) {
      case "running" -> "running";
      case "success" -> "success";
      case "failed" -> "failure";
      case "canceled" -> "cancelled";
      case "skipped" -> "skipped";
      default -> "queued";
    };
    Optional<Instant> started = text(node, "started_at").map(FIELDS::instant);
    Optional<Instant> finished = text(node, "finished_at").map(FIELDS::instant);
    Optional<Long> duration = node.path("duration").isNumber() ? Optional.of(node.path("duration").asLong())
        : CiRun.secondsBetween(started, finished);
    return new CiRun(FIELDS.required(node, "id").asText(), node.path("name").asText(node.path("ref").asText("")),
        node.path("source").asText(""), FIELDS.required(node, "sha").asText(), text(node, "ref"), normalized, status,
        1, FIELDS.requiredInstant(node, "created_at"), started, finished, duration,
        FIELDS.requiredInstant(node, "updated_at"), node.path("web_url").asText(""));
  }

  /**
   * {@code GET /projects/:id/deployments} item. GitLab keeps no status history: the status it has now, at its last
   * update, is the one in the history. created and blocked are pending, running in progress, failed failure, canceled
   * and skipped inactive. Deployments have no page of their own: the link is their environment's.
   */
  static Deployment deployment(JsonNode node, io.gitcollector.core.model.RepositoryRef repository) {
    String status = node.path("status").asText("created");
    String normalized = switch (status) {
      case "running" -> "in_progress";
      case "success" -> "success";
      case "failed" -> "failure";
      case "canceled", "skipped" -> "inactive";
      default -> "pending";
    };
    Instant updated = FIELDS.requiredInstant(node, "updated_at");
    return new Deployment(FIELDS.required(node, "id").asText(), node.path("environment").path("name").asText(""),
        FIELDS.required(node, "sha").asText(), text(node, "ref"), text(node.path("user"), "username"), normalized,
        status, Optional.of(updated), List.of(new Deployment.Status(normalized, status, updated, Optional.empty())),
        FIELDS.requiredInstant(node, "created_at"), updated,
        repository.webUrl() + "/-/environments/" + node.path("environment").path("id").asText(""));
  }
}
