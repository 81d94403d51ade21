package io.gitcollector.gitlab.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.codec.CursorCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.ParallelFetches;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.gitlab.GitLabPlatformProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads GitLab (gitlab.com or self-hosted) through gitlab4j, one governed request per page. Commits of the default
 * branch with statistics ({@code with_stats}); merge requests walked by update time, ascending, each page a fresh
 * query from the last update time seen, so a merge request updated while the collector pages moves to the end of the
 * walk instead of out of it; their approvals and notes, paginated to the end, as reviews; contributors.
 */
public final class GitLabClient implements PlatformClient {
  static final int PER_PAGE = 100;

  private final GovernedGitLab gitlab;
  private final ParallelFetches details;
  private final ObjectMapper json = new ObjectMapper();
  private final boolean commitFiles;

  public GitLabClient(PlatformConfig config, PlatformContext context) {
    String url = config.apiBaseUrl().orElse(GitLabPlatformProvider.DEFAULT_URL);
    this.gitlab = new GovernedGitLab(url, config.token(), context.calls(), context.apiOrigins(),
        Duration.ofSeconds(config.intSetting("rate_limit_backoff_seconds", 30, 1, 3600)), json);
    this.commitFiles = config.booleanSetting("commit_files", false);
    this.details = new ParallelFetches("gitlab-details", Math.max(2, context.concurrency()));
  }

  record CommitCursor(String phase, String head, String next, String stop) {}

  record MergeRequestCursor(String phase, String after, List<Long> idsAtAfter, String page) {}

  record ContributorCursor(String phase, String head, String next) {}

  static String projectId(RepositoryRef repository) {
    return URLEncoder.encode(repository.path(), StandardCharsets.UTF_8);
  }

  private JsonNode project(RepositoryRef repository) {
    return gitlab.get("project", repository, Map.of(), "projects", projectId(repository)).value();
  }

  // ------------------------------------------------------------------ repository

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    JsonNode node = project(repository);
    Instant updated = instant(text(node, "last_activity_at").or(() -> text(node, "updated_at"))
        .orElseThrow(() -> new ProtocolException("GitLab project lacks last_activity_at")));
    Repository metadata = new Repository(
        node.path("id").asText(), node.path("name").asText(), node.path("path_with_namespace").asText(),
        text(node, "description").filter(d -> !d.isBlank()), node.path("default_branch").asText("main"),
        node.path("visibility").asText("private"), node.hasNonNull("forked_from_project"),
        node.path("archived").asBoolean(false), Optional.empty(), node.path("star_count").asLong(),
        node.path("forks_count").asLong(), node.path("open_issues_count").asLong(), 0,
        instant(node.path("created_at").asText()), updated, Optional.empty(), node.path("web_url").asText(""));
    String cursor = updated.toString();
    boolean unchanged = request.cursor().map(cursor::equals).orElse(false);
    return new Page<>(unchanged ? List.of() : List.of(metadata), cursor, true);
  }

  // ------------------------------------------------------------------ commits

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    CommitCursor cursor = read(request, CommitCursor.class);
    if (cursor == null || "done".equals(cursor.phase())) {
      Optional<String> head = head(repository);
      String previous = cursor == null ? null : cursor.head();
      if (head.isEmpty() || head.get().equals(previous)) {
        return new Page<>(List.of(), write(new CommitCursor("done", head.orElse(previous), null, null)), true);
      }
      cursor = new CommitCursor("paging", head.get(), "page:1", previous);
    }
    GovernedGitLab.Fetched<JsonNode> page = fetch("commits", repository, cursor.next(),
        Map.of("ref_name", cursor.head(), "with_stats", "true", "per_page", Integer.toString(PER_PAGE)),
        "projects", projectId(repository), "repository", "commits");
    List<Commit> commits = new ArrayList<>();
    boolean reachedKnown = false;
    for (JsonNode node : page.value()) {
      if (node.path("id").asText().equals(cursor.stop())) {
        reachedKnown = true;
        break;
      }
      commits.add(commit(node));
    }
    if (commitFiles) {
      commits = withFiles(repository, commits);
    }
    if (reachedKnown || page.next().isEmpty()) {
      return new Page<>(commits, write(new CommitCursor("done", cursor.head(), null, null)), true);
    }
    return new Page<>(commits, write(new CommitCursor("paging", cursor.head(), page.next().get(), cursor.stop())),
        false);
  }

  /** Per-file changes: one more request per commit ({@code commit_files=true}), in parallel within a page. */
  private List<Commit> withFiles(RepositoryRef repository, List<Commit> commits) {
    List<List<FileChange>> files = details.map(commits, "a commit diff", commit -> {
      List<JsonNode> diffs = new ArrayList<>();
      String next = "page:1";
      while (next != null) {
        GovernedGitLab.Fetched<JsonNode> page = fetch("commits.diff", repository, next,
            Map.of("per_page", Integer.toString(PER_PAGE)), "projects", projectId(repository), "repository",
            "commits", commit.sha(), "diff");
        page.value().forEach(diffs::add);
        next = page.next().orElse(null);
      }
      return fileChanges(diffs);
    });
    List<Commit> detailed = new ArrayList<>();
    for (int i = 0; i < commits.size(); i++) {
      Commit commit = commits.get(i);
      List<FileChange> changes = files.get(i);
      detailed.add(new Commit(commit.sha(), commit.parents(), commit.author(), commit.committer(), commit.message(),
          commit.additions(), commit.deletions(), changes.size(), changes, commit.webUrl()));
    }
    return detailed;
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

  private Optional<String> head(RepositoryRef repository) {
    String branch = project(repository).path("default_branch").asText("");
    if (branch.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = gitlab.get("branch", repository, Map.of(), "projects", projectId(repository),
        "repository", "branches", URLEncoder.encode(branch, StandardCharsets.UTF_8)).value();
    return text(node.path("commit"), "id");
  }

  static Commit commit(JsonNode node) {
    List<String> parents = new ArrayList<>();
    node.path("parent_ids").forEach(p -> parents.add(p.asText()));
    GitIdentity author = new GitIdentity(node.path("author_name").asText(""), node.path("author_email").asText(""),
        instant(text(node, "authored_date").orElse(node.path("created_at").asText())), Optional.empty());
    GitIdentity committer = new GitIdentity(node.path("committer_name").asText(""),
        node.path("committer_email").asText(""),
        instant(text(node, "committed_date").orElse(node.path("created_at").asText())), Optional.empty());
    return new Commit(node.path("id").asText(), parents, author, committer, node.path("message").asText(""),
        node.path("stats").path("additions").asInt(), node.path("stats").path("deletions").asInt(), -1, List.of(),
        node.path("web_url").asText(""));
  }

  // ------------------------------------------------------------------ merge requests

  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    MergeRequestCursor cursor = read(request, MergeRequestCursor.class);
    String after = cursor == null ? null : cursor.after();
    List<Long> idsAtAfter = cursor == null ? List.of() : cursor.idsAtAfter();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", "all");
    query.put("order_by", "updated_at");
    query.put("sort", "asc");
    query.put("per_page", Integer.toString(PER_PAGE));
    if (after != null) {
      query.put("updated_after", after);
    }
    String pageToken = cursor != null && cursor.page() != null ? cursor.page() : "page:1";
    GovernedGitLab.Fetched<JsonNode> page = fetch("merge_requests", repository, pageToken, query, "projects",
        projectId(repository), "merge_requests");
    List<JsonNode> fresh = new ArrayList<>();
    String last = after;
    List<Long> idsAtLast = new ArrayList<>(idsAtAfter);
    for (JsonNode node : page.value()) {
      String updated = instant(node.path("updated_at").asText()).toString();
      long id = node.path("id").asLong();
      if (updated.equals(after) && idsAtAfter.contains(id)) {
        continue;
      }
      fresh.add(node);
      if (!updated.equals(last)) {
        last = updated;
        idsAtLast = new ArrayList<>();
      }
      idsAtLast.add(id);
    }
    List<PullRequest> pulls = withReviews(repository, fresh);
    boolean more = page.next().isPresent();
    if (!more) {
      return new Page<>(pulls, write(new MergeRequestCursor("done", last, idsAtLast, null)), true);
    }
    // a fresh query from the last update time seen; only a page that is all one instant follows the next page
    boolean stuck = fresh.isEmpty() || (last != null && last.equals(after));
    String nextPage = stuck ? page.next().get() : null;
    return new Page<>(pulls, write(new MergeRequestCursor("paging", last, idsAtLast, nextPage)), false);
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    JsonNode node = gitlab.get("merge_request", repository, Map.of(), "projects", projectId(repository),
        "merge_requests", number).value();
    return Optional.of(withReviews(repository, List.of(node)).get(0));
  }

  private List<PullRequest> withReviews(RepositoryRef repository, List<JsonNode> nodes) {
    return details.map(nodes, "a merge request", node -> mergeRequest(repository, node));
  }


  private PullRequest mergeRequest(RepositoryRef repository, JsonNode node) {
    long iid = node.path("iid").asLong();
    JsonNode approvals = gitlab.get("merge_request.approvals", repository, Map.of(), "projects",
        projectId(repository), "merge_requests", iid, "approvals").value();
    List<JsonNode> notes = new ArrayList<>();
    String next = "page:1";
    while (next != null) {
      GovernedGitLab.Fetched<JsonNode> page = fetch("merge_request.notes", repository, next,
          Map.of("per_page", Integer.toString(PER_PAGE), "sort", "asc", "order_by", "created_at"), "projects",
          projectId(repository), "merge_requests", iid, "notes");
      page.value().forEach(notes::add);
      next = page.next().orElse(null);
    }
    return mergeRequest(node, approvals, notes);
  }

  /** A merge request with its approvals (as APPROVED reviews) and its notes other than system notes (COMMENTED). */
  static PullRequest mergeRequest(JsonNode node, JsonNode approvals, List<JsonNode> notes) {
    List<Review> reviews = new ArrayList<>();
    for (JsonNode approval : approvals.path("approved_by")) {
      JsonNode user = approval.path("user");
      reviews.add(new Review("approval:" + user.path("id").asText(), text(user, "username"), "APPROVED",
          Optional.empty(), text(approvals, "updated_at").map(GitLabClient::instant), Optional.empty()));
    }
    for (JsonNode note : notes) {
      if (note.path("system").asBoolean(false)) {
        continue;
      }
      reviews.add(new Review("note:" + note.path("id").asText(), text(note.path("author"), "username"),
          "COMMENTED", text(note, "body"), text(note, "created_at").map(GitLabClient::instant), Optional.empty()));
    }
    String state = switch (node.path("state").asText("opened")) {
      case "opened", "locked" -> "open";
      case "merged" -> "merged";
      default -> "closed";
    };
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(l -> labels.add(l.isTextual() ? l.asText() : l.path("name").asText()));
    return new PullRequest(node.path("id").asText(), node.path("iid").asLong(), state, node.path("title").asText(""),
        text(node.path("author"), "username"), node.path("source_branch").asText(""),
        node.path("target_branch").asText(""), instant(node.path("created_at").asText()),
        instant(node.path("updated_at").asText()), text(node, "merged_at").map(GitLabClient::instant),
        text(node, "closed_at").map(GitLabClient::instant),
        text(node, "merge_commit_sha").or(() -> text(node, "squash_commit_sha")),
        node.path("draft").asBoolean(node.path("work_in_progress").asBoolean(false)), labels, reviews,
        node.path("web_url").asText(""));
  }

  // ------------------------------------------------------------------ contributors

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    ContributorCursor cursor = read(request, ContributorCursor.class);
    if (cursor == null || "done".equals(cursor.phase())) {
      Optional<String> head = head(repository);
      String previous = cursor == null ? null : cursor.head();
      if (head.isEmpty() || head.get().equals(previous)) {
        return new Page<>(List.of(), write(new ContributorCursor("done", head.orElse(previous), null)), true);
      }
      cursor = new ContributorCursor("paging", head.get(), "page:1");
    }
    GovernedGitLab.Fetched<JsonNode> page = fetch("contributors", repository, cursor.next(),
        Map.of("per_page", Integer.toString(PER_PAGE)), "projects", projectId(repository), "repository",
        "contributors");
    Instant now = Instant.now();
    List<Contributor> contributors = new ArrayList<>();
    for (JsonNode node : page.value()) {
      contributors.add(new Contributor(Optional.empty(), Optional.empty(), text(node, "name"), text(node, "email"),
          node.path("commits").asLong(), now));
    }
    if (page.next().isEmpty()) {
      return new Page<>(contributors, write(new ContributorCursor("done", cursor.head(), null)), true);
    }
    return new Page<>(contributors, write(new ContributorCursor("paging", cursor.head(), page.next().get())),
        false);
  }

  // ------------------------------------------------------------------ webhooks and plumbing

  @Override
  public WebhookEvent parseWebhook(WebhookDelivery delivery, Optional<Secret> secret) {
    return GitLabWebhooks.parse(delivery, secret, json);
  }

  @Override
  public void close() {
    details.close();
    gitlab.close();
  }

  /** A page by token: {@code page:N} is offset pagination of the query, anything else a URL GitLab gave. */
  private GovernedGitLab.Fetched<JsonNode> fetch(String operation, RepositoryRef repository, String token,
      Map<String, String> query, Object... path) {
    if (token.startsWith("page:")) {
      Map<String, String> withPage = new LinkedHashMap<>(query);
      withPage.put("page", token.substring("page:".length()));
      return gitlab.get(operation, repository, withPage, path);
    }
    return gitlab.follow(operation, repository, token);
  }

  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ProtocolException("GitLab sent an unreadable timestamp '" + text + "'", e);
    }
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() ? Optional.empty() : Optional.of(value.asText());
  }

  /** The request's cursor, or null where there is none or it cannot be read (the stream then starts over). */
  private static <T> T read(StreamRequest request, Class<T> type) {
    return CursorCodec.read(request.cursor(), type).orElse(null);
  }

  private static String write(Object cursor) {
    return CursorCodec.write(cursor);
  }

}
