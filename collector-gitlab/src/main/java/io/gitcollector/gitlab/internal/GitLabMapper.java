package io.gitcollector.gitlab.internal;

import static io.gitcollector.core.spi.toolkit.JsonFields.nonBlank;
import static io.gitcollector.core.spi.toolkit.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.PullRequest;
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
}
