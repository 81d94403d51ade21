package io.gitcollector.gitlab.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.FileChange;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ListingPage;
import io.gitcollector.core.spi.ListingRequest;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.CursorCodec;
import io.gitcollector.core.spi.toolkit.JsonFields;
import io.gitcollector.core.spi.toolkit.ParallelFetches;
import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.spi.toolkit.SnapshotWalk;
import io.gitcollector.gitlab.internal.GitLabCursors.MergeRequestCursor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads GitLab (gitlab.com or self-hosted) one governed request per page. Commits of the default branch with
 * statistics ({@code with_stats}); merge requests walked by update time, ascending, each page a fresh query from the
 * last update time seen, so a merge request updated while the collector pages moves to the end of the walk instead of
 * out of it; their approvals and notes, paginated to the end, as reviews; contributors.
 */
public final class GitLabClient implements PlatformClient {
  static final int PER_PAGE = 100;
  static final Setting COMMIT_FILES = Setting.bool("commit_files").withDefault(false)
      .doc("per-file changes of every commit: one more request per commit");
  static final Setting RATE_LIMIT_BACKOFF_SECONDS = Setting.integer("rate_limit_backoff_seconds", 1, 3600)
      .withDefault(30).doc("wait after a 429 that names none");
  /** The adapter's own settings; GitLab's names for the URL and the webhook token are the variables' names. */
  public static final List<Setting> SETTINGS = List.of(COMMIT_FILES, RATE_LIMIT_BACKOFF_SECONDS,
      PlatformProvider.API_URL.environment("GITLAB_URL").alsoFrom("GITLAB_API_URL")
          .doc("GitLab instance URL (self-hosted, a simulator)"),
      PlatformProvider.WEBHOOK_SECRET.environment("GITLAB_WEBHOOK_TOKEN").alsoFrom("GITLAB_WEBHOOK_SECRET")
          .doc("the webhook's secret token (X-Gitlab-Token); unset, deliveries are refused"));
  private static final Map<String, String> PAGED = Map.of("per_page", Integer.toString(PER_PAGE));

  private final GitLabHttp gitlab;
  private final ParallelFetches details;
  private final boolean commitFiles;
  private final boolean anonymous;

  /** A client of the instance at {@code serverUrl} ({@code https://gitlab.com}). */
  public GitLabClient(String serverUrl, PlatformConfig config, PlatformContext context) {
    this.gitlab = new GitLabHttp(serverUrl, ApiAccess.of(context, config, "GitLab", "project", "GITLAB_TOKEN"),
        Duration.ofSeconds(config.integer(RATE_LIMIT_BACKOFF_SECONDS)));
    this.commitFiles = config.bool(COMMIT_FILES);
    this.anonymous = config.token().isEmpty();
    this.details = new ParallelFetches("gitlab-details", Math.max(2, context.concurrency()));
  }

  static String projectId(RepositoryRef repository) {
    return URLEncoder.encode(repository.path(), StandardCharsets.UTF_8);
  }

  private JsonNode project(RepositoryRef repository) {
    return gitlab.get("project", repository, Map.of(), "projects", projectId(repository)).value();
  }

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    Repository metadata = GitLabMapper.repository(project(repository));
    String cursor = metadata.updatedAt().toString();
    boolean unchanged = request.cursor().map(cursor::equals).orElse(false);
    return new Page<>(unchanged ? List.of() : List.of(metadata), cursor, true);
  }

  /**
   * {@code GET /groups/:id/projects?include_subgroups=true}: the group's projects and its subgroups', archived ones
   * included, 100 a page. GitLab counts every request alike, so the listing is read whole each pass.
   */
  @Override
  public ListingPage organizationRepositories(OrganizationRef group, ListingRequest request) {
    RepositoryRef named = new RepositoryRef(group.host(), group.port(), List.of(group.path(), "*"));
    GitLabHttp.Fetched<JsonNode> fetched;
    try {
      fetched = gitlab.page("group.projects", named, request.page().orElse("page:1"),
          Map.of("include_subgroups", "true", "order_by", "id", "sort", "asc", "per_page",
              Integer.toString(PER_PAGE)), "groups", URLEncoder.encode(group.path(), StandardCharsets.UTF_8),
          "projects");
    } catch (io.gitcollector.core.model.RepositoryNotFoundException
        | io.gitcollector.core.model.MissingCredentialsException notFound) {
      throw new io.gitcollector.core.model.RepositoryNotFoundException("GitLab has no group '" + group.path()
          + "' that the " + (anonymous ? "anonymous caller" : "configured token") + " can see");
    }
    List<DiscoveredRepository> projects = new ArrayList<>();
    fetched.listing().items().forEach(item -> projects.add(GitLabMapper.discovered(item)));
    return ListingPage.of(projects, Optional.empty(), fetched.next());
  }

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.commits(request, etag -> PinnedHeadWalk.Head.of(head(repository)),
        (head, position, stop) -> gitlab.page("commits", repository, position.orElse("page:1"),
            Map.of("ref_name", head, "with_stats", "true", "per_page", Integer.toString(PER_PAGE)), "projects",
            projectId(repository), "repository", "commits").listing(),
        node -> node.path("id").asText(), nodes -> {
          List<Commit> commits = nodes.stream().map(GitLabMapper::commit).toList();
          return commitFiles ? withFiles(repository, commits) : commits;
        });
  }

  /** Per-file changes: one more request per commit ({@code commit_files=true}), in parallel within a page. */
  private List<Commit> withFiles(RepositoryRef repository, List<Commit> commits) {
    List<List<FileChange>> files = details.map(commits, "a commit diff", commit -> GitLabMapper.fileChanges(
        gitlab.all("commits.diff", repository, PAGED, "projects", projectId(repository), "repository", "commits",
            commit.sha(), "diff")));
    List<Commit> detailed = new ArrayList<>(commits.size());
    for (int i = 0; i < commits.size(); i++) {
      detailed.add(GitLabMapper.withFiles(commits.get(i), files.get(i)));
    }
    return detailed;
  }

  private Optional<String> head(RepositoryRef repository) {
    String branch = project(repository).path("default_branch").asText("");
    if (branch.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = gitlab.get("branch", repository, Map.of(), "projects", projectId(repository),
        "repository", "branches", URLEncoder.encode(branch, StandardCharsets.UTF_8)).value();
    return JsonFields.text(node.path("commit"), "id");
  }

  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    return byUpdateTime(repository, request, "merge_requests", nodes -> withReviews(repository, nodes));
  }

  @Override
  public Page<? extends Entity> stream(EntityKind kind, RepositoryRef repository, StreamRequest request) {
    if (kind.equals(EntityKind.ISSUE)) {
      return byUpdateTime(repository, request, "issues", nodes -> withNotes(repository, nodes));
    }
    if (kind.equals(EntityKind.CI_RUN)) {
      // the list has no start, finish or duration: each pipeline that changed is read whole
      return byUpdateTime(repository, request, "pipelines", nodes -> details.map(nodes, "a pipeline",
          node -> pipeline(repository, node.path("id").asLong())));
    }
    if (kind.equals(EntityKind.DEPLOYMENT)) {
      return byUpdateTime(repository, request, "deployments",
          nodes -> nodes.stream().map(node -> GitLabMapper.deployment(node, repository)).toList());
    }
    if (kind.equals(EntityKind.RELEASE)) {
      // GitLab cannot filter releases by update: the list is read whole and only what changed is emitted
      return SnapshotWalk.next(request, (position, etag) -> SnapshotWalk.Fetched.of(gitlab.page("releases",
              repository, position.orElse("page:1"), PAGED, "projects", projectId(repository), "releases").listing(),
              Optional.empty()),
          node -> node.path("tag_name").asText(), GitLabMapper::releaseVersion,
          nodes -> nodes.stream().map(GitLabMapper::release).toList());
    }
    return PlatformClient.super.stream(kind, repository, request);
  }

  @Override
  public Optional<? extends Entity> fetch(RepositoryRef repository, EntityRef entity) {
    if (entity.kind().equals(EntityKind.ISSUE)) {
      return PlatformResponses.ifFound(() -> withNotes(repository, List.of(gitlab.get("issue", repository, Map.of(),
          "projects", projectId(repository), "issues", entity.number()).value())).get(0));
    }
    if (entity.kind().equals(EntityKind.CI_RUN)) {
      return PlatformResponses.ifFound(() -> pipeline(repository, entity.number()));
    }
    if (entity.kind().equals(EntityKind.DEPLOYMENT)) {
      return PlatformResponses.ifFound(() -> GitLabMapper.deployment(gitlab.get("deployment", repository, Map.of(),
          "projects", projectId(repository), "deployments", entity.number()).value(), repository));
    }
    if (entity.kind().equals(EntityKind.RELEASE)) {
      return PlatformResponses.ifFound(() -> GitLabMapper.release(gitlab.get("release", repository, Map.of(),
          "projects", projectId(repository), "releases", URLEncoder.encode(entity.key(), StandardCharsets.UTF_8))
          .value()));
    }
    return PlatformClient.super.fetch(repository, entity);
  }

  private CiRun pipeline(RepositoryRef repository, long id) {
    return GitLabMapper.pipeline(gitlab.get("pipeline", repository, Map.of(), "projects", projectId(repository),
        "pipelines", id).value());
  }

  /** Issues with their notes (not GitLab's system notes: those record events, not what people wrote). */
  private List<Issue> withNotes(RepositoryRef repository, List<JsonNode> nodes) {
    return details.map(nodes, "an issue", node -> {
      List<JsonNode> notes = node.path("user_notes_count").asInt(1) == 0 ? List.of()
          : gitlab.all("issue.notes", repository, Map.of("per_page", Integer.toString(PER_PAGE), "sort", "asc",
              "order_by", "created_at"), "projects", projectId(repository), "issues", node.path("iid").asLong(),
              "notes");
      return GitLabMapper.issue(node, notes);
    });
  }

  /**
   * A list GitLab filters by {@code updated_after} ({@code merge_requests}, {@code issues}), walked by update time,
   * ascending, each page a fresh query from the last update time seen: an item updated while the walk pages moves
   * to its end instead of out of it.
   */
  private <T> Page<T> byUpdateTime(RepositoryRef repository, StreamRequest request, String list,
      java.util.function.Function<List<JsonNode>, List<T>> map) {
    MergeRequestCursor cursor = CursorCodec.read(request.cursor(), MergeRequestCursor.class).orElse(null);
    String after = cursor == null ? null : cursor.after();
    List<Long> idsAtAfter = cursor == null || cursor.idsAtAfter() == null ? List.of() : cursor.idsAtAfter();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", "all");
    query.put("order_by", "updated_at");
    query.put("sort", "asc");
    query.put("per_page", Integer.toString(PER_PAGE));
    if (after != null) {
      query.put("updated_after", after);
    }
    String pageToken = cursor != null && cursor.page() != null ? cursor.page() : "page:1";
    GitLabHttp.Fetched<JsonNode> page = gitlab.page(list, repository, pageToken, query, "projects",
        projectId(repository), list);
    List<JsonNode> fresh = new ArrayList<>();
    String last = after;
    List<Long> idsAtLast = new ArrayList<>(idsAtAfter);
    for (JsonNode node : page.value()) {
      String updated = GitLabMapper.FIELDS.instant(node.path("updated_at").asText()).toString();
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
    List<T> items = map.apply(fresh);
    if (page.next().isEmpty()) {
      return new Page<>(items, CursorCodec.write(new MergeRequestCursor("done", last, idsAtLast, null)), true);
    }
    // a fresh query from the last update time seen; only a page that is all one instant follows the next page
    boolean stuck = fresh.isEmpty() || (last != null && last.equals(after));
    String nextPage = stuck ? page.next().get() : null;
    return new Page<>(items, CursorCodec.write(new MergeRequestCursor("paging", last, idsAtLast, nextPage)), false);
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    JsonNode node = gitlab.get("merge_request", repository, Map.of(), "projects", projectId(repository),
        "merge_requests", number).value();
    return Optional.of(withReviews(repository, List.of(node)).get(0));
  }

  private List<PullRequest> withReviews(RepositoryRef repository, List<JsonNode> nodes) {
    return details.map(nodes, "a merge request", node -> {
      long iid = node.path("iid").asLong();
      JsonNode approvals = gitlab.get("merge_request.approvals", repository, Map.of(), "projects",
          projectId(repository), "merge_requests", iid, "approvals").value();
      List<JsonNode> notes = gitlab.all("merge_request.notes", repository,
          Map.of("per_page", Integer.toString(PER_PAGE), "sort", "asc", "order_by", "created_at"), "projects",
          projectId(repository), "merge_requests", iid, "notes");
      return GitLabMapper.mergeRequest(node, approvals, notes);
    });
  }

  /** GitLab's own contributor list, read again whenever the head moved. */
  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.pages(request, etag -> PinnedHeadWalk.Head.of(head(repository)),
        (head, position, stop) -> gitlab.page("contributors", repository, position.orElse("page:1"), PAGED,
            "projects", projectId(repository), "repository", "contributors").listing(),
        nodes -> {
          Instant now = Instant.now();
          return nodes.stream().map(node -> GitLabMapper.contributor(node, now)).toList();
        });
  }

  @Override
  public void close() {
    details.close();
    gitlab.close();
  }
}
