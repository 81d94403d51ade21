package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.Comment;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.Deployment;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.Issue;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Release;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
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
import io.gitcollector.github.internal.GitHubCursors.ContributorCursor;
import io.gitcollector.github.internal.GitHubCursors.RepositoryCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * Reads GitHub: REST for repository metadata, contributors and the cheap conditional probes that tell whether
 * anything changed; GraphQL for commit statistics (100 commits a request) and pull requests with their reviews nested
 * (100 pull requests a request).
 */
public final class GitHubClient implements PlatformClient {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitHubClient.class);
  /** Marks a cursor position that is a REST next-page URL rather than a GraphQL cursor. */
  static final String REST = "rest:";
  static final int PAGE_SIZE = 100;
  static final Setting COMMIT_FILES = Setting.bool("commit_files").withDefault(false)
      .doc("per-file changes of every commit: one more request per commit");
  static final Setting READ_TIMEOUT_SECONDS = Setting.integer("read_timeout_seconds", 1, 600).withDefault(60)
      .doc("how long a response may take to arrive");
  static final Setting HISTORY_PREFETCH = Setting.integer("history_prefetch", 0, 16)
      .doc("pages of history read ahead in parallel; default twice the concurrency, at most 8");
  /** Read by the provider, which derives the GraphQL endpoint from the REST base URL when it is not set. */
  public static final Setting GRAPHQL_URL = Setting.url("graphql_url")
      .doc("GraphQL endpoint; default derived from the API URL");
  static final Setting APP_ID = Setting.text("app_id")
      .doc("GitHub App id: collect as the app's installations (one chosen per owner) instead of with a token");
  static final Setting APP_PRIVATE_KEY = Setting.pem("app_private_key")
      .doc("the GitHub App's private key, PEM (PKCS#1 as GitHub issues it, or PKCS#8)");
  static final Setting APP_PRIVATE_KEY_FILE = Setting.path("app_private_key_file")
      .doc("file holding the GitHub App's private key, instead of app_private_key");
  static final Setting APP_INSTALLATION_ID = Setting.text("app_installation_id")
      .doc("the installation to use for every owner; default: the installation on each repository's owner");
  /** The adapter's own settings. */
  public static final List<Setting> SETTINGS = List.of(COMMIT_FILES, READ_TIMEOUT_SECONDS, HISTORY_PREFETCH,
      GRAPHQL_URL, RecentWalk.CI_RUNS_LOOKBACK, RecentWalk.DEPLOYMENTS_LOOKBACK, APP_ID, APP_PRIVATE_KEY,
      APP_PRIVATE_KEY_FILE, APP_INSTALLATION_ID);

  private final ObjectMapper json = new ObjectMapper();
  private final OkHttpClient okHttp;
  private final GitHubHttp http;
  private final boolean commitFiles;
  private final GitHubWorkflowRuns workflowRuns;
  private final java.time.Duration deploymentLookback;
  /**
   * No token: GitHub's GraphQL API refuses anonymous requests, so commits and pull requests are read through REST
   * alone, which costs one request per commit (its statistics) and per pull request (its reviews).
   */
  private final boolean anonymous;
  private final int prefetch;
  private final AdaptivePageSize historyPageSize = new AdaptivePageSize(PAGE_SIZE);
  private final ParallelFetches prefetcher;
  private final Map<String, Future<JsonNode>> prefetched = new ConcurrentHashMap<>();
  private static final Pattern HISTORY_CURSOR = Pattern.compile("^([0-9a-f]{40}) (\\d+)$");

  /** A client of the REST API at {@code restBase} and the GraphQL endpoint at {@code graphqlUrl}. */
  public GitHubClient(String restBase, String graphqlUrl, PlatformConfig config, PlatformContext context) {
    this.okHttp = GitHubHttp.newClient(config.integer(READ_TIMEOUT_SECONDS));
    ApiAccess access = ApiAccess.of(context, config, "GitHub", "repository", "GITHUB_TOKEN");
    GitHubCredentials credentials = credentials(config, access, restBase);
    this.http = new GitHubHttp(okHttp, access, restBase, graphqlUrl, credentials);
    this.commitFiles = config.bool(COMMIT_FILES);
    this.workflowRuns = new GitHubWorkflowRuns(http, config.duration(RecentWalk.CI_RUNS_LOOKBACK));
    this.deploymentLookback = config.duration(RecentWalk.DEPLOYMENTS_LOOKBACK);
    this.anonymous = !credentials.authenticated();
    if (anonymous) {
      LOG.warn("no GITHUB_TOKEN: GitHub's GraphQL API needs one, so commits and pull requests are read through REST"
          + " alone, one request per commit (its statistics) and per pull request (its reviews), within GitHub's 60"
          + " requests an hour for anonymous callers: about 60 commits an hour, the waits are printed as they come."
          + " A token (https://github.com/settings/tokens, no scope needed for public repositories) reads 100"
          + " commits with their statistics in one request and allows 5,000 requests an hour");
    }
    // GitHub asks integrators not to make many requests at once: a few pages ahead are enough to hide latency
    this.prefetch = config.value(HISTORY_PREFETCH).map(Integer::parseInt)
        .orElse(Math.min(8, 2 * context.concurrency()));
    this.prefetcher = new ParallelFetches("github-history", Math.max(1, prefetch));
  }

  /** A GitHub App's installations when {@code app_id} is set, else the configured token (or none). */
  private GitHubCredentials credentials(PlatformConfig config, ApiAccess access, String restBase) {
    Optional<String> appId = config.value(APP_ID);
    if (appId.isEmpty()) {
      return GitHubCredentials.of(config.token());
    }
    if (config.token().isPresent()) {
      throw new InvalidConfigurationException("GITHUB_APP_ID and GITHUB_TOKEN are both set: collect as the app or"
          + " with the token, not both");
    }
    Optional<String> pem = config.value(APP_PRIVATE_KEY);
    if (pem.isEmpty()) {
      Optional<String> file = config.value(APP_PRIVATE_KEY_FILE);
      if (file.isEmpty()) {
        throw new InvalidConfigurationException("GITHUB_APP_ID is set without the app's private key: set"
            + " GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE");
      }
      try {
        pem = Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of(file.get())));
      } catch (java.io.IOException | RuntimeException e) {
        throw new InvalidConfigurationException("GITHUB_APP_PRIVATE_KEY_FILE cannot be read: " + e.getMessage());
      }
    }
    return new GitHubApp(appId.get().strip(), pem.get(), config.value(APP_INSTALLATION_ID).map(String::strip),
        okHttp, access, restBase, java.time.Clock.systemUTC());
  }

  // ------------------------------------------------------------------ repository

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    RepositoryCursor cursor = CursorCodec.read(request.cursor(), RepositoryCursor.class).orElse(null);
    Optional<String> etag = Optional.ofNullable(cursor).map(RepositoryCursor::etag);
    RestResult result = http.get("repository", http.repoUrl(repository), etag, repository);
    if (result.notModified()) {
      return Page.unchanged(request.cursor().orElseThrow());
    }
    Repository metadata = GitHubMapper.repository(result.body());
    return new Page<>(List.of(metadata), CursorCodec.write(new RepositoryCursor(result.etag().orElse(null))),
        true);
  }

  // ------------------------------------------------------------------ organizations

  /**
   * {@code GET /orgs/{org}/repos?type=all} (an organization's repositories, private ones the token can see), or, for
   * a name that is a user's, {@code GET /users/{user}/repos}; 100 a page, each page conditional on its ETag.
   */
  @Override
  public ListingPage organizationRepositories(OrganizationRef organization, ListingRequest request) {
    if (organization.pathSegments().size() != 1) {
      throw new InvalidConfigurationException("a GitHub organization URL names one owner, was " + organization);
    }
    RepositoryRef owner = new RepositoryRef(organization.host(), organization.port(),
        List.of(organization.path(), "*"));
    RestResult result;
    if (request.page().isPresent()) {
      String url = request.page().get();
      if (!http.allows(url)) {
        throw new ProtocolException("a stored listing page of " + organization + " is not on the API's origin");
      }
      result = http.get("organization.repositories", url, request.etag(), owner);
    } else {
      String base = http.restBase() + "/orgs/" + organization.path() + "/repos?type=all&per_page=" + PAGE_SIZE;
      try {
        result = http.get("organization.repositories", base, request.etag(), owner);
      } catch (RepositoryNotFoundException | MissingCredentialsException notAnOrganization) {
        // a user's repositories: GitHub serves them at another path
        try {
          result = http.get("user.repositories", http.restBase() + "/users/" + organization.path()
              + "/repos?type=owner&per_page=" + PAGE_SIZE, request.etag(), owner);
        } catch (RepositoryNotFoundException | MissingCredentialsException neither) {
          throw new RepositoryNotFoundException("GitHub has no organization or user '" + organization.path()
              + "' that the " + (anonymous ? "anonymous caller" : "configured token") + " can see");
        }
      }
    }
    if (result.notModified()) {
      return ListingPage.notModified(request.etag().orElseThrow());
    }
    List<DiscoveredRepository> repositories = new ArrayList<>();
    result.body().forEach(item -> repositories.add(GitHubMapper.discovered(item)));
    return ListingPage.of(repositories, result.etag(), result.next());
  }

  // ------------------------------------------------------------------ commits

  /**
   * A walk from the head pinned at the start of the pass; a one-item conditional probe of the default branch says
   * whether (and where) the head moved, and costs nothing when it did not (304).
   */
  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.commits(request, etag -> {
      RestResult probe = http.get("commits.head", http.repoUrl(repository) + "/commits?per_page=1", etag,
          repository);
      if (probe.notModified()) {
        return new PinnedHeadWalk.Unchanged();
      }
      Optional<String> head = probe.hasBody() && !probe.body().isEmpty()
          ? Optional.of(probe.body().get(0).path("sha").asText()) : Optional.empty();
      return new PinnedHeadWalk.Head(head, probe.etag());
    }, (head, position, stop) -> {
      boolean restPosition = position.map(p -> p.startsWith(REST)).orElse(false);
      if (anonymous || restPosition) {
        // without a token a GraphQL position cannot be resumed: the pass starts again at its head
        String url = restPosition ? position.get().substring(REST.length())
            : http.repoUrl(repository) + "/commits?sha=" + head + "&per_page=" + PAGE_SIZE;
        return restListing(http.get("commits.list", url, Optional.empty(), repository));
      }
      JsonNode history = historyPage(repository, head, position.orElse(null), stop.isEmpty());
      if (history.isMissingNode() || history.isNull()) {
        throw new ProtocolException("GitHub returned no history for " + repository + " at " + head);
      }
      return historyListing(history);
    }, node -> node.path(node.has("oid") ? "oid" : "sha").asText(), nodes -> commits(repository, nodes));
  }

  /**
   * A page of history to commits: GraphQL history nodes (they carry {@code oid}) have their statistics; REST list
   * items need each commit's own resource for them (the REST-only path of anonymous callers).
   */
  private List<Commit> commits(RepositoryRef repository, List<JsonNode> nodes) {
    boolean graphql = !nodes.isEmpty() && nodes.get(0).has("oid");
    List<Commit> commits = new ArrayList<>(nodes.size());
    for (JsonNode node : nodes) {
      if (graphql) {
        commits.add(GitHubMapper.historyCommit(node));
      } else {
        Commit full = GitHubMapper.restCommit(http.get("commits.detail", http.repoUrl(repository) + "/commits/"
            + node.path("sha").asText(), Optional.empty(), repository).body());
        commits.add(commitFiles ? full : GitHubMapper.withoutFileList(full));
      }
    }
    return commitFiles && graphql ? withFiles(repository, commits) : commits;
  }

  /** A REST list page; its next page's URL marked as a REST position. */
  private static Listing<JsonNode> restListing(RestResult page) {
    List<JsonNode> items = new ArrayList<>();
    if (page.hasBody()) {
      page.body().forEach(items::add);
    }
    return new Listing<>(items, page.next().map(url -> REST + url));
  }

  /**
   * A page of history, with how many commits the history holds after it: its {@code totalCount} less the offset its
   * end cursor ({@code "<head> <offset>"}, the offset of the page's last commit) reached.
   */
  private static Listing<JsonNode> historyListing(JsonNode history) {
    Listing<JsonNode> page = graphqlListing(history);
    long total = history.path("totalCount").asLong(-1);
    Matcher offset = HISTORY_CURSOR.matcher(history.path("pageInfo").path("endCursor").asText(""));
    if (total < 0 || !offset.matches()) {
      return page;
    }
    return new Listing<>(page.items(), page.next(),
        java.util.OptionalLong.of(Math.max(0, total - Long.parseLong(offset.group(2)) - 1)));
  }

  /** A GraphQL connection page: its nodes, and its end cursor when another page follows. */
  private static Listing<JsonNode> graphqlListing(JsonNode connection) {
    List<JsonNode> items = new ArrayList<>();
    connection.path("nodes").forEach(items::add);
    JsonNode pageInfo = connection.path("pageInfo");
    return new Listing<>(items, pageInfo.path("hasNextPage").asBoolean(false)
        ? Optional.of(pageInfo.path("endCursor").asText()) : Optional.empty());
  }

  /**
   * One page of history, from the prefetched pages when it is there. GitHub's history cursors have the form
   * {@code "<head oid> <offset>"}; when they do, the pages of a full pass can be addressed directly, and the next
   * {@code prefetch} pages are fetched in parallel while the engine delivers this one. Any other cursor form (or an
   * incremental pass, which stops at the previous head) falls back to one page after the other.
   */
  private JsonNode historyPage(RepositoryRef repository, String head, String after, boolean mayPrefetch) {
    String key = repository.path() + "|" + head + "|" + after;
    Future<JsonNode> ready = prefetched.remove(key);
    JsonNode history = ready != null ? ParallelFetches.await(ready, "a page of history")
        : fetchHistory(repository, head, after);
    // pages are addressable by offset only while they all hold PAGE_SIZE commits
    if (mayPrefetch && prefetch > 0 && historyPageSize.isFull()) {
      Matcher offset = HISTORY_CURSOR.matcher(history.path("pageInfo").path("endCursor").asText(""));
      long total = history.path("totalCount").asLong(-1);
      if (offset.matches() && offset.group(1).equals(head) && total > 0) {
        long last = Long.parseLong(offset.group(2));
        for (int k = 1; k <= prefetch; k++) {
          long pageStart = last + (long) PAGE_SIZE * (k - 1);
          if (pageStart + 1 >= total) {
            break;
          }
          String nextAfter = head + " " + pageStart;
          prefetched.computeIfAbsent(repository.path() + "|" + head + "|" + nextAfter,
              ignored -> prefetcher.submit(() -> fetchHistory(repository, head, nextAfter)));
        }
      }
    }
    return history;
  }

  private JsonNode fetchHistory(RepositoryRef repository, String head, String after) {
    return http.graphql("CommitHistory", Queries.COMMIT_HISTORY, first -> {
      ObjectNode variables = pageVariables(repository, after);
      variables.put("first", first);
      variables.put("oid", head);
      return variables;
    }, historyPageSize, repository).path("repository").path("object").path("history");
  }

  private List<Commit> withFiles(RepositoryRef repository, List<Commit> commits) {
    List<Commit> detailed = new ArrayList<>(commits.size());
    for (Commit commit : commits) {
      RestResult single = http.get("commits.detail", http.repoUrl(repository) + "/commits/" + commit.sha(),
          Optional.empty(), repository);
      detailed.add(GitHubMapper.withFiles(commit, GitHubMapper.restCommit(single.body())));
    }
    return detailed;
  }

  // ------------------------------------------------------------------ pull requests

  /**
   * A full pass walks by creation (stable as new ones append), an incremental one by update time, newest first, down
   * to the watermark; the probe is the newest page, conditional on its ETag, so every pull request tied with the
   * newest update time is remembered. Without a token, REST alone, in the same orders, each pull request's reviews
   * one more request.
   */
  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    return UpdateTimeWalk.next(request, etag -> {
      RestResult probe = http.get("pulls.newest",
          http.repoUrl(repository) + "/pulls?state=all&sort=updated&direction=desc&per_page=" + PAGE_SIZE, etag,
          repository);
      if (probe.notModified()) {
        return new UpdateTimeWalk.Unchanged();
      }
      return new UpdateTimeWalk.Newest(restListing(probe).items().stream().map(GitHubMapper::pullStamp).toList(),
          probe.etag());
    }, (incremental, position, watermark) -> {
      boolean restPosition = position.map(p -> p.startsWith(REST)).orElse(false);
      if (anonymous || restPosition) {
        String url = restPosition ? position.get().substring(REST.length())
            : http.repoUrl(repository) + "/pulls?state=all&per_page=" + PAGE_SIZE
                + (incremental ? "&sort=updated&direction=desc" : "&sort=created&direction=asc");
        return restListing(http.get("pulls.list", url, Optional.empty(), repository));
      }
      ObjectNode variables = pageVariables(repository, position.orElse(null));
      variables.put("orderField", incremental ? "UPDATED_AT" : "CREATED_AT");
      variables.put("direction", incremental ? "DESC" : "ASC");
      return graphqlListing(http.graphql("PullRequests", Queries.PULL_REQUESTS, variables, repository)
          .path("repository").path("pullRequests"));
    }, GitHubMapper::pullStamp, nodes -> nodes.stream().map(node -> node.has("updatedAt")
        ? toPullRequest(repository, node)
        : GitHubMapper.restPullRequest(node, restReviews(repository, node.path("number").asLong()))).toList());
  }

  /** Every review of a pull request, through REST ({@code Link} pagination). */
  private List<Review> restReviews(RepositoryRef repository, long number) {
    return restAll("pulls.reviews", http.repoUrl(repository) + "/pulls/" + number + "/reviews?per_page=100",
        repository).stream().map(GitHubMapper::restReview).toList();
  }

  /** Every item of a REST list, page after page ({@code Link} pagination). */
  private List<JsonNode> restAll(String operation, String firstPage, RepositoryRef repository) {
    List<JsonNode> items = new ArrayList<>();
    Optional<String> url = Optional.of(firstPage);
    while (url.isPresent()) {
      RestResult page = http.get(operation, url.get(), Optional.empty(), repository);
      if (page.hasBody()) {
        page.body().forEach(items::add);
      }
      url = page.next();
    }
    return items;
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    if (anonymous) {
      RestResult single = http.get("pulls.get", http.repoUrl(repository) + "/pulls/" + number, Optional.empty(),
          repository);
      return single.hasBody() ? Optional.of(GitHubMapper.restPullRequest(single.body(),
          restReviews(repository, number))) : Optional.empty();
    }
    ObjectNode variables = repositoryVariables(repository);
    variables.put("number", number);
    JsonNode node = http.graphql("PullRequest", Queries.PULL_REQUEST, variables, repository)
        .path("repository").path("pullRequest");
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(toPullRequest(repository, node));
  }

  private PullRequest toPullRequest(RepositoryRef repository, JsonNode node) {
    if (GitHubMapper.reviewsComplete(node)) {
      return GitHubMapper.pullRequest(node, Optional.empty());
    }
    // more reviews than the nested page holds: read them all over REST, page by page
    return GitHubMapper.pullRequest(node, Optional.of(restReviews(repository, node.path("number").asLong())));
  }

  // ------------------------------------------------------------------ issues

  @Override
  public Page<? extends Entity> stream(EntityKind kind, RepositoryRef repository, StreamRequest request) {
    if (kind.equals(EntityKind.ISSUE)) {
      return issues(repository, request);
    }
    if (kind.equals(EntityKind.RELEASE)) {
      return releases(repository, request);
    }
    if (kind.equals(EntityKind.CI_RUN)) {
      return workflowRuns.next(repository, request);
    }
    if (kind.equals(EntityKind.DEPLOYMENT)) {
      return deployments(repository, request);
    }
    return PlatformClient.super.stream(kind, repository, request);
  }

  /**
   * Releases, newest first, every page asked with the ETag it had: an unchanged list is all {@code 304}s and costs no
   * rate-limit points; a changed one emits exactly the releases whose fields changed. The commit each points at comes
   * from the tag list, read only when a page has releases to emit (a release's own {@code target_commitish} is the
   * branch it was cut from).
   */
  private Page<Release> releases(RepositoryRef repository, StreamRequest request) {
    return SnapshotWalk.next(request, (position, etag) -> {
      RestResult page = http.get("releases.list", position.orElse(http.repoUrl(repository)
          + "/releases?per_page=" + PAGE_SIZE), etag, repository);
      if (page.notModified()) {
        return SnapshotWalk.Fetched.notModifiedPage();
      }
      List<JsonNode> items = new ArrayList<>();
      if (page.hasBody()) {
        page.body().forEach(items::add);
      }
      return new SnapshotWalk.Fetched<>(false, items, page.next(), page.etag());
    }, node -> node.path("tag_name").asText(), GitHubMapper::releaseVersion, nodes -> {
      Map<String, String> tags = tagShas(repository);
      return nodes.stream().map(node -> GitHubMapper.release(node, tags)).toList();
    });
  }

  /**
   * Deployments, newest first, with their statuses. A new status moves a deployment's {@code updated_at}, so an
   * incremental pass reads again the deployments created within the lookback and emits those updated since it saw
   * them; when that window was one page, the page is asked with its ETag, and an idle pass costs nothing.
   */
  private Page<Deployment> deployments(RepositoryRef repository, StreamRequest request) {
    return RecentWalk.next(request, deploymentLookback, (SnapshotWalk.Reader<JsonNode>) (position, etag) -> {
      RestResult page = http.get("deployments.list", position.orElse(http.repoUrl(repository)
          + "/deployments?per_page=" + PAGE_SIZE), etag, repository);
      if (page.notModified()) {
        return SnapshotWalk.Fetched.notModifiedPage();
      }
      List<JsonNode> items = new ArrayList<>();
      if (page.hasBody()) {
        page.body().forEach(items::add);
      }
      return new SnapshotWalk.Fetched<>(false, items, page.next(), page.etag());
    }, node -> node.path("id").asText(), node -> node.path("updated_at").asText(),
        node -> GitHubMapper.FIELDS.requiredInstant(node, "created_at"),
        nodes -> nodes.stream().map(node -> withStatuses(repository, node)).toList());
  }

  private Deployment withStatuses(RepositoryRef repository, JsonNode deployment) {
    return GitHubMapper.deployment(deployment, restAll("deployments.statuses", http.repoUrl(repository)
        + "/deployments/" + deployment.path("id").asLong() + "/statuses?per_page=100", repository));
  }

  /** Every tag's commit, by tag name. */
  private Map<String, String> tagShas(RepositoryRef repository) {
    Map<String, String> shas = new java.util.HashMap<>();
    restAll("tags.list", http.repoUrl(repository) + "/tags?per_page=100", repository)
        .forEach(tag -> shas.put(tag.path("name").asText(), tag.path("commit").path("sha").asText()));
    return shas;
  }

  /**
   * Issues with their comments, walked like pull requests. The probe is REST's newest issue-or-pull-request, asked
   * with the last ETag: a {@code 304} (free of rate-limit points) proves nothing changed. When something did, the
   * newest issues come from GraphQL, which lists issues only (REST's list also holds pull requests, which are not
   * emitted here). Without a token, REST alone, pull requests skipped, each issue's comments one more request.
   */
  private Page<Issue> issues(RepositoryRef repository, StreamRequest request) {
    return UpdateTimeWalk.next(request, etag -> {
      RestResult probe = http.get("issues.newest",
          http.repoUrl(repository) + "/issues?state=all&sort=updated&direction=desc&per_page=1", etag, repository);
      if (probe.notModified()) {
        return new UpdateTimeWalk.Unchanged();
      }
      Listing<JsonNode> newest = anonymous ? restIssues(http.get("issues.list", http.repoUrl(repository)
          + "/issues?state=all&sort=updated&direction=desc&per_page=" + PAGE_SIZE, Optional.empty(), repository))
          : graphqlIssues(repository, true, null);
      return new UpdateTimeWalk.Newest(newest.items().stream().map(GitHubMapper::issueStamp).toList(), probe.etag());
    }, (incremental, position, watermark) -> {
      boolean restPosition = position.map(p -> p.startsWith(REST)).orElse(false);
      if (anonymous || restPosition) {
        String url = restPosition ? position.get().substring(REST.length())
            : http.repoUrl(repository) + "/issues?state=all&per_page=" + PAGE_SIZE
                + (incremental ? "&sort=updated&direction=desc" : "&sort=created&direction=asc");
        return restIssues(http.get("issues.list", url, Optional.empty(), repository));
      }
      return graphqlIssues(repository, incremental, position.orElse(null));
    }, GitHubMapper::issueStamp, nodes -> nodes.stream().map(node -> node.has("updatedAt")
        ? toIssue(repository, node)
        : GitHubMapper.restIssue(node, node.path("comments").asInt(0) == 0 ? List.of()
            : restComments(repository, node.path("number").asLong()))).toList());
  }

  private Listing<JsonNode> graphqlIssues(RepositoryRef repository, boolean byUpdate, String after) {
    ObjectNode variables = pageVariables(repository, after);
    variables.put("orderField", byUpdate ? "UPDATED_AT" : "CREATED_AT");
    variables.put("direction", byUpdate ? "DESC" : "ASC");
    return graphqlListing(http.graphql("Issues", Queries.ISSUES, variables, repository).path("repository")
        .path("issues"));
  }

  /** A REST page of {@code /issues} without its pull requests; the position still follows the whole list. */
  private static Listing<JsonNode> restIssues(RestResult page) {
    Listing<JsonNode> all = restListing(page);
    return new Listing<>(all.items().stream().filter(item -> !GitHubMapper.isPullRequest(item)).toList(),
        all.next());
  }

  /** Every comment of an issue, through REST ({@code Link} pagination). */
  private List<Comment> restComments(RepositoryRef repository, long number) {
    return restAll("issues.comments", http.repoUrl(repository) + "/issues/" + number + "/comments?per_page=100",
        repository).stream().map(GitHubMapper::restComment).toList();
  }

  @Override
  public Optional<? extends Entity> fetch(RepositoryRef repository, EntityRef entity) {
    if (entity.kind().equals(EntityKind.ISSUE)) {
      return issue(repository, entity.number());
    }
    if (entity.kind().equals(EntityKind.CI_RUN)) {
      return workflowRuns.run(repository, entity.number());
    }
    if (entity.kind().equals(EntityKind.DEPLOYMENT)) {
      return PlatformResponses.ifFound(() -> http.get("deployments.get", http.repoUrl(repository) + "/deployments/"
          + entity.number(), Optional.empty(), repository)).filter(RestResult::hasBody)
          .map(single -> withStatuses(repository, single.body()));
    }
    if (entity.kind().equals(EntityKind.RELEASE)) {
      return PlatformResponses.ifFound(() -> http.get("releases.get", http.repoUrl(repository) + "/releases/tags/"
          + java.net.URLEncoder.encode(entity.key(), java.nio.charset.StandardCharsets.UTF_8), Optional.empty(),
          repository)).filter(RestResult::hasBody)
          .map(single -> GitHubMapper.release(single.body(), tagShas(repository)));
    }
    return PlatformClient.super.fetch(repository, entity);
  }

  /** One issue fetched fresh (a webhook's refetch); empty if it is gone or is a pull request. */
  private Optional<Issue> issue(RepositoryRef repository, long number) {
    if (anonymous) {
      RestResult single = http.get("issues.get", http.repoUrl(repository) + "/issues/" + number, Optional.empty(),
          repository);
      return single.hasBody() && !GitHubMapper.isPullRequest(single.body())
          ? Optional.of(GitHubMapper.restIssue(single.body(), restComments(repository, number))) : Optional.empty();
    }
    ObjectNode variables = repositoryVariables(repository);
    variables.put("number", number);
    JsonNode node = http.graphql("Issue", Queries.ISSUE, variables, repository).path("repository").path("issue");
    return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(toIssue(repository, node));
  }

  private Issue toIssue(RepositoryRef repository, JsonNode node) {
    if (GitHubMapper.commentsComplete(node)) {
      return GitHubMapper.issue(node, Optional.empty());
    }
    // more comments than the nested page holds: read them all over REST, page by page
    return GitHubMapper.issue(node, Optional.of(restComments(repository, node.path("number").asLong())));
  }

  // ------------------------------------------------------------------ contributors

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    ContributorCursor cursor = CursorCodec.read(request.cursor(), ContributorCursor.class).orElse(null);
    RestResult result;
    String etag;
    if (cursor != null && !GitHubCursors.DONE.equals(cursor.phase()) && !http.allows(cursor.next())) {
      // a link to another origin stored before such links were refused: start the pass again instead
      cursor = null;
    }
    if (cursor == null || GitHubCursors.DONE.equals(cursor.phase())) {
      Optional<String> previous = Optional.ofNullable(cursor).map(ContributorCursor::etag);
      result = http.get("contributors", http.repoUrl(repository) + "/contributors?per_page=100&anon=true", previous,
          repository);
      if (result.notModified()) {
        return Page.unchanged(request.cursor().orElseThrow());
      }
      etag = result.etag().orElse(null);
    } else {
      result = http.get("contributors", cursor.next(), Optional.empty(), repository);
      etag = cursor.etag();
    }
    List<Contributor> contributors = new ArrayList<>();
    if (result.hasBody()) {
      Instant now = Instant.now();
      for (JsonNode node : result.body()) {
        contributors.add(GitHubMapper.contributor(node, now));
      }
    }
    if (result.next().isPresent()) {
      return new Page<>(contributors,
          CursorCodec.write(new ContributorCursor(GitHubCursors.PAGING, result.next().get(), etag)), false);
    }
    return new Page<>(contributors, CursorCodec.write(new ContributorCursor(GitHubCursors.DONE, null, etag)), true);
  }

  @Override
  public void close() {
    prefetcher.close();
    prefetched.clear();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }

  private ObjectNode repositoryVariables(RepositoryRef repository) {
    ObjectNode variables = json.createObjectNode();
    variables.put("owner", repository.owner());
    variables.put("name", repository.name());
    return variables;
  }

  /** Variables of a connection page: the repository, the page size, and the cursor to continue after. */
  private ObjectNode pageVariables(RepositoryRef repository, String after) {
    ObjectNode variables = repositoryVariables(repository);
    variables.put("first", PAGE_SIZE);
    if (after != null) {
      variables.put("after", after);
    } else {
      variables.putNull("after");
    }
    return variables;
  }
}
