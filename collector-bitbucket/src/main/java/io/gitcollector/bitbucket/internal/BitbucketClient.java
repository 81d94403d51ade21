package io.gitcollector.bitbucket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.bitbucket.internal.BitbucketCursors.RepositoryCursor;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ListingPage;
import io.gitcollector.core.spi.ListingRequest;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.Setting;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.CursorCodec;
import io.gitcollector.core.spi.toolkit.Listing;
import io.gitcollector.core.spi.toolkit.ParallelFetches;
import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.spi.toolkit.RecentWalk;
import io.gitcollector.core.spi.toolkit.SnapshotWalk;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Bitbucket Cloud. Commit statistics come from each commit's diffstat (Bitbucket has no batched form: one
 * request per commit, fetched in parallel within a page); incremental commits use {@code include}/{@code exclude},
 * which lists exactly the commits reachable from the new head and not from the old one. Pull requests in every state
 * with their participants in one list request per 50, plus one comments request for each pull request that has
 * comments. Contributors are derived from commit authors: Bitbucket has no contributors endpoint.
 */
public final class BitbucketClient implements PlatformClient {
  static final int COMMIT_PAGE = 100;
  static final int PULL_PAGE = 50;
  static final Setting COMMIT_FILES = Setting.bool("commit_files").withDefault(false)
      .doc("per-file changes of every commit; they come with the diffstat read anyway, so they cost nothing more");
  static final Setting RATE_LIMIT_BACKOFF_SECONDS = Setting.integer("rate_limit_backoff_seconds", 1, 3600)
      .withDefault(30).doc("longest pause after 429s in a row (the first is 2 s, doubling)");
  /** The adapter's own settings. */
  public static final List<Setting> SETTINGS = List.of(COMMIT_FILES, RATE_LIMIT_BACKOFF_SECONDS,
      RecentWalk.CI_RUNS_LOOKBACK);
  private static final String ALL_STATES = "state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED";

  private final BitbucketHttp http;
  private final boolean commitFiles;
  private final java.time.Duration ciLookback;
  private final ParallelFetches diffstats;

  /** A client of the API at {@code apiBase}. */
  public BitbucketClient(String apiBase, PlatformConfig config, PlatformContext context) {
    this.http = new BitbucketHttp(ApiAccess.of(context, config, "Bitbucket", "repository", "BITBUCKET_TOKEN"),
        apiBase, Duration.ofSeconds(config.integer(RATE_LIMIT_BACKOFF_SECONDS)));
    this.commitFiles = config.bool(COMMIT_FILES);
    this.ciLookback = config.duration(RecentWalk.CI_RUNS_LOOKBACK);
    this.diffstats = new ParallelFetches("bitbucket-diffstat", Math.max(2, context.concurrency()));
  }

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    RepositoryCursor cursor = CursorCodec.read(request.cursor(), RepositoryCursor.class).orElse(null);
    Repository metadata = BitbucketMapper.repository(http.get("repository", http.repoUrl(repository), repository));
    String updated = metadata.updatedAt().toString();
    String next = CursorCodec.write(new RepositoryCursor(updated));
    boolean unchanged = cursor != null && updated.equals(cursor.updatedOn());
    return new Page<>(unchanged ? List.of() : List.of(metadata), next, true);
  }

  /** {@code GET /repositories/{workspace}}: the workspace's repositories the credentials can see, 100 a page. */
  @Override
  public ListingPage organizationRepositories(OrganizationRef workspace, ListingRequest request) {
    if (workspace.pathSegments().size() != 1) {
      throw new InvalidConfigurationException("a Bitbucket workspace URL names one workspace, was " + workspace);
    }
    RepositoryRef named = new RepositoryRef(workspace.host(), workspace.port(), List.of(workspace.path(), "*"));
    Listing<JsonNode> page;
    try {
      page = http.page("workspace.repositories", request.page()
          .orElseGet(() -> http.workspaceUrl(workspace.path()) + "?pagelen=100"), named);
    } catch (RepositoryNotFoundException | io.gitcollector.core.model.MissingCredentialsException notFound) {
      throw new RepositoryNotFoundException("Bitbucket has no workspace '" + workspace.path()
          + "' that the credentials can see");
    }
    List<DiscoveredRepository> repositories = new ArrayList<>();
    page.items().forEach(item -> repositories.add(BitbucketMapper.discovered(item)));
    return ListingPage.of(repositories, Optional.empty(), page.next());
  }

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.commits(request, etag -> PinnedHeadWalk.Head.of(head(repository)),
        (head, position, stop) -> http.page("commits", position.orElseGet(() -> stop.isEmpty()
            ? http.repoUrl(repository) + "/commits/" + head + "?pagelen=" + COMMIT_PAGE
            : http.repoUrl(repository) + "/commits?include=" + head + "&exclude=" + stop.get() + "&pagelen="
                + COMMIT_PAGE), repository),
        node -> node.path("hash").asText(), nodes -> withDiffstats(repository, nodes));
  }

  /** The head commit of the main branch, empty for an empty repository. */
  private Optional<String> head(RepositoryRef repository) {
    String branch = http.get("repository.mainbranch", http.repoUrl(repository) + "?fields=mainbranch.name",
        repository).path("mainbranch").path("name").asText("");
    if (branch.isEmpty()) {
      return Optional.empty();
    }
    JsonNode values = http.get("commits.head", http.repoUrl(repository) + "/commits/" + encode(branch)
        + "?pagelen=1&fields=values.hash", repository).path("values");
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).path("hash").asText());
  }

  private List<Commit> withDiffstats(RepositoryRef repository, List<JsonNode> nodes) {
    List<List<JsonNode>> stats = diffstats.map(nodes, "a diffstat", node -> http.all("commits.diffstat",
        http.repoUrl(repository) + "/diffstat/" + node.path("hash").asText() + "?pagelen=500", repository));
    List<Commit> commits = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      commits.add(BitbucketMapper.commit(nodes.get(i), stats.get(i), commitFiles));
    }
    return commits;
  }

  /**
   * A full pass by id; an incremental one newest update first, filtered by Bitbucket to those updated at or after the
   * watermark. The probe is the newest page, so every pull request tied with the newest update time is remembered.
   */
  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    String list = http.repoUrl(repository) + "/pullrequests?" + ALL_STATES;
    return UpdateTimeWalk.next(request,
        etag -> new UpdateTimeWalk.Newest(http.page("pullrequests.newest", list + "&sort=-updated_on&pagelen="
            + PULL_PAGE + "&fields=values.id,values.updated_on", repository).items().stream()
            .map(BitbucketMapper::stamp).toList(), Optional.empty()),
        (incremental, position, watermark) -> http.page("pullrequests", position.orElseGet(() -> list
            + "&pagelen=" + PULL_PAGE + "&fields=" + encode("+values.participants") + watermark
                .map(since -> "&sort=-updated_on&q=" + encode("updated_on>=\"" + since + "\""))
                .orElse("&sort=id")), repository),
        BitbucketMapper::stamp, nodes -> nodes.stream().map(node -> withComments(repository, node)).toList());
  }

  @Override
  public Page<? extends Entity> stream(EntityKind kind, RepositoryRef repository, StreamRequest request) {
    if (kind.equals(EntityKind.ISSUE)) {
      return issues(repository, request);
    }
    if (kind.equals(EntityKind.CI_RUN)) {
      // Bitbucket Pipelines: newest created first, not filtered by update
      return RecentWalk.next(request, ciLookback, position -> noneIfAbsent(() -> http.page("pipelines",
              position.orElseGet(() -> http.repoUrl(repository) + "/pipelines/?sort=-created_on&pagelen=100"),
              repository)),
          node -> node.path("uuid").asText(), BitbucketMapper::pipelineVersion,
          node -> BitbucketMapper.FIELDS.requiredInstant(node, "created_on"),
          nodes -> nodes.stream().map(node -> BitbucketMapper.pipeline(node, repository)).toList());
    }
    if (kind.equals(EntityKind.DEPLOYMENT)) {
      // Bitbucket documents no order or filter for deployments: the list is read whole, and what changed emitted
      return SnapshotWalk.next(request, (position, etag) -> SnapshotWalk.Fetched.of(noneIfAbsent(() -> http.page(
              "deployments", position.orElseGet(() -> http.repoUrl(repository) + "/deployments/?pagelen=100"),
              repository)), Optional.empty()),
          node -> node.path("uuid").asText(), BitbucketMapper::deploymentVersion, nodes -> {
            Map<String, String> environments = environments(repository);
            return nodes.stream().map(node -> BitbucketMapper.deployment(node, environments, repository)).toList();
          });
    }
    if (kind.equals(EntityKind.RELEASE)) {
      // Bitbucket has no releases: its tags are, read whole each pass, emitted when new or moved
      return SnapshotWalk.next(request, (position, etag) -> SnapshotWalk.Fetched.of(http.page("tags",
              position.orElseGet(() -> http.repoUrl(repository) + "/refs/tags?pagelen=100&sort=-target.date"),
              repository), Optional.empty()),
          node -> node.path("name").asText(), BitbucketMapper::tagVersion,
          nodes -> nodes.stream().map(BitbucketMapper::tag).toList());
    }
    return PlatformClient.super.stream(kind, repository, request);
  }

  /**
   * Issues of the repository's own tracker, walked like pull requests. A repository without a tracker answers 404
   * ("Repository has no issue tracker."): it has no issues stream, which is no error (a repository that is gone
   * fails its other streams with that 404).
   */
  private Page<Issue> issues(RepositoryRef repository, StreamRequest request) {
    String list = http.repoUrl(repository) + "/issues?pagelen=" + PULL_PAGE;
    return UpdateTimeWalk.next(request,
        etag -> new UpdateTimeWalk.Newest(noneIfAbsent(() -> http.page("issues.newest", list
            + "&sort=-updated_on&fields=values.id,values.updated_on", repository)).items().stream()
            .map(BitbucketMapper::stamp).toList(), Optional.empty()),
        (incremental, position, watermark) -> noneIfAbsent(() -> http.page("issues", position.orElseGet(() -> list
            + watermark.map(since -> "&sort=-updated_on&q=" + encode("updated_on>=\"" + since + "\""))
                .orElse("&sort=id")), repository)),
        BitbucketMapper::stamp, nodes -> nodes.stream().map(node -> withIssueComments(repository, node)).toList());
  }

  private static Listing<JsonNode> noneIfAbsent(java.util.function.Supplier<Listing<JsonNode>> read) {
    try {
      return read.get();
    } catch (RepositoryNotFoundException noTracker) {
      return new Listing<>(List.of(), Optional.empty());
    }
  }

  private Issue withIssueComments(RepositoryRef repository, JsonNode node) {
    List<JsonNode> comments = http.all("issues.comments", http.repoUrl(repository) + "/issues/"
        + node.path("id").asLong() + "/comments?pagelen=100", repository);
    return BitbucketMapper.issue(node, comments);
  }

  @Override
  public Optional<? extends Entity> fetch(RepositoryRef repository, EntityRef entity) {
    if (entity.kind().equals(EntityKind.ISSUE)) {
      return PlatformResponses.ifFound(() -> withIssueComments(repository, http.get("issue", http.repoUrl(repository)
          + "/issues/" + entity.number(), repository)));
    }
    if (entity.kind().equals(EntityKind.CI_RUN)) {
      return PlatformResponses.ifFound(() -> BitbucketMapper.pipeline(http.get("pipeline", http.repoUrl(repository)
          + "/pipelines/" + encode(entity.key()), repository), repository));
    }
    if (entity.kind().equals(EntityKind.DEPLOYMENT)) {
      return PlatformResponses.ifFound(() -> BitbucketMapper.deployment(http.get("deployment",
          http.repoUrl(repository) + "/deployments/" + encode(entity.key()), repository), environments(repository),
          repository));
    }
    if (entity.kind().equals(EntityKind.RELEASE)) {
      return PlatformResponses.ifFound(() -> BitbucketMapper.tag(http.get("tag", http.repoUrl(repository)
          + "/refs/tags/" + encode(entity.key()), repository)));
    }
    return PlatformClient.super.fetch(repository, entity);
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    JsonNode node = http.get("pullrequest", http.repoUrl(repository) + "/pullrequests/" + number, repository);
    return Optional.of(withComments(repository, node));
  }

  private PullRequest withComments(RepositoryRef repository, JsonNode node) {
    List<JsonNode> comments = node.path("comment_count").asInt(0) == 0 ? List.of()
        : http.all("pullrequests.comments", http.repoUrl(repository) + "/pullrequests/" + node.path("id").asLong()
            + "/comments?pagelen=100", repository);
    return BitbucketMapper.pullRequest(node, comments);
  }

  /** The names of the repository's deployment environments, by uuid (a deployment names its environment by uuid). */
  private Map<String, String> environments(RepositoryRef repository) {
    Map<String, String> names = new java.util.HashMap<>();
    for (JsonNode environment : http.all("environments", http.repoUrl(repository) + "/environments/?pagelen=100",
        repository)) {
      names.put(environment.path("uuid").asText(), environment.path("name").asText());
    }
    return names;
  }

  /** Counted from the authors of every commit reachable from the head, when the head moved. */
  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.authors(request, etag -> PinnedHeadWalk.Head.of(head(repository)),
        (head, position, stop) -> http.page("contributors.commits", position.orElseGet(() -> http.repoUrl(repository)
            + "/commits/" + head + "?pagelen=" + COMMIT_PAGE + "&fields=" + encode("next,values.hash,values.author")),
            repository),
        commit -> BitbucketMapper.identity(commit.path("author"), Instant.EPOCH));
  }

  @Override
  public void close() {
    diffstats.close();
    http.close();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
