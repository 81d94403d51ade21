package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
import io.gitcollector.github.GitHubPlatformProvider;
import io.gitcollector.github.internal.Cursors.CommitCursor;
import io.gitcollector.github.internal.Cursors.ContributorCursor;
import io.gitcollector.github.internal.Cursors.PullCursor;
import io.gitcollector.github.internal.Cursors.RepositoryCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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

  private final ObjectMapper json = new ObjectMapper();
  private final OkHttpClient okHttp;
  private final GitHubHttp http;
  private final boolean commitFiles;
  /**
   * No token: GitHub's GraphQL API refuses anonymous requests, so commits and pull requests are read through REST
   * alone, which costs one request per commit (its statistics) and per pull request (its reviews).
   */
  private final boolean anonymous;
  private final int prefetch;
  private final AdaptivePageSize historyPageSize = new AdaptivePageSize(PAGE_SIZE);
  private final ExecutorService prefetcher;
  private final Map<String, Future<JsonNode>> prefetched = new ConcurrentHashMap<>();
  private static final Pattern HISTORY_CURSOR = Pattern.compile("^([0-9a-f]{40}) (\\d+)$");

  public GitHubClient(PlatformConfig config, PlatformContext context) {
    String restBase = restBase(config);
    this.okHttp = GitHubHttp.newClient(config.intSetting("read_timeout_seconds", 60, 1, 600));
    this.http = new GitHubHttp(okHttp, json, context.calls(), context.apiOrigins(), config.token(), restBase,
        graphqlUrl(config));
    this.commitFiles = config.booleanSetting("commit_files", false);
    this.anonymous = config.token().isEmpty();
    if (anonymous) {
      LOG.warn("no GITHUB_TOKEN: GitHub's GraphQL API needs one, so commits and pull requests are read through REST"
          + " alone, one request per commit (its statistics) and per pull request (its reviews), within GitHub's 60"
          + " requests an hour for anonymous callers: about 60 commits an hour, the waits are printed as they come."
          + " A token (https://github.com/settings/tokens, no scope needed for public repositories) reads 100"
          + " commits with their statistics in one request and allows 5,000 requests an hour");
    }
    // GitHub asks integrators not to make many requests at once: a few pages ahead are enough to hide latency
    this.prefetch = config.intSetting("history_prefetch", Math.min(8, 2 * context.concurrency()), 0, 16);
    AtomicInteger threads = new AtomicInteger();
    this.prefetcher = Executors.newFixedThreadPool(Math.max(1, prefetch), r -> {
      Thread thread = new Thread(r, "github-history-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The REST base URL: the configured one, or github.com's. */
  public static String restBase(PlatformConfig config) {
    return stripSlash(config.apiBaseUrl().orElse(GitHubPlatformProvider.DEFAULT_API_URL));
  }

  /** The GraphQL endpoint: the {@code graphql_url} setting, or derived from the REST base URL. */
  public static String graphqlUrl(PlatformConfig config) {
    String restBase = restBase(config);
    return config.setting("graphql_url").orElseGet(() -> restBase.endsWith("/api/v3")
        ? restBase.substring(0, restBase.length() - "/v3".length()) + "/graphql"
        : restBase + "/graphql");
  }

  // ------------------------------------------------------------------ repository

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    RepositoryCursor cursor = Cursors.read(request, RepositoryCursor.class);
    Optional<String> etag = Optional.ofNullable(cursor).map(RepositoryCursor::etag);
    RestResult result = http.get("repository", http.repoUrl(repository), etag, repository);
    if (result.notModified()) {
      return Page.unchanged(request.cursor().orElseThrow());
    }
    Repository metadata = GitHubMapper.repository(result.body());
    return new Page<>(List.of(metadata), Cursors.write(new RepositoryCursor(result.etag().orElse(null))), true);
  }

  // ------------------------------------------------------------------ commits

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    CommitCursor cursor = Cursors.read(request, CommitCursor.class);
    if (cursor == null || Cursors.DONE.equals(cursor.phase())) {
      // a new pass: a one-item conditional probe of the default branch says whether (and where) the head moved
      Optional<String> etag = Optional.ofNullable(cursor).map(CommitCursor::etag);
      RestResult probe = http.get("commits.head", http.repoUrl(repository) + "/commits?per_page=1", etag,
          repository);
      if (probe.notModified()) {
        return Page.unchanged(request.cursor().orElseThrow());
      }
      String newEtag = probe.etag().orElse(null);
      if (!probe.hasBody() || probe.body().isEmpty()) {
        return new Page<>(List.of(), Cursors.write(new CommitCursor(Cursors.DONE, null, null, null, newEtag)), true);
      }
      String head = probe.body().get(0).path("sha").asText();
      String previousHead = cursor == null ? null : cursor.head();
      if (head.equals(previousHead)) {
        return new Page<>(List.of(), Cursors.write(new CommitCursor(Cursors.DONE, head, null, null, newEtag)), true);
      }
      cursor = new CommitCursor(Cursors.PAGING, head, null, previousHead, newEtag);
    }
    boolean restCursor = cursor.after() != null && cursor.after().startsWith(REST);
    if (anonymous || restCursor) {
      if (!restCursor && cursor.after() != null) {
        // a GraphQL position cannot be resumed without a token: this pass starts again at its head
        cursor = new CommitCursor(Cursors.PAGING, cursor.head(), null, cursor.stopAt(), cursor.etag());
      }
      return restCommits(repository, cursor);
    }
    JsonNode history = historyPage(repository, cursor.head(), cursor.after(), cursor.stopAt() == null);
    if (history.isMissingNode() || history.isNull()) {
      throw new ProtocolException("GitHub returned no history for " + repository + " at " + cursor.head());
    }
    List<Commit> commits = new ArrayList<>(PAGE_SIZE);
    boolean reachedKnown = false;
    for (JsonNode node : history.path("nodes")) {
      if (node.path("oid").asText().equals(cursor.stopAt())) {
        reachedKnown = true;
        break;
      }
      commits.add(GitHubMapper.historyCommit(node));
    }
    if (commitFiles) {
      commits = withFiles(repository, commits);
    }
    boolean more = !reachedKnown && history.path("pageInfo").path("hasNextPage").asBoolean(false);
    String next = more
        ? Cursors.write(new CommitCursor(Cursors.PAGING, cursor.head(),
            history.path("pageInfo").path("endCursor").asText(), cursor.stopAt(), cursor.etag()))
        : Cursors.write(new CommitCursor(Cursors.DONE, cursor.head(), null, null, cursor.etag()));
    return new Page<>(commits, next, !more);
  }

  /**
   * A page of history through REST alone: the list of commits from the pinned head (100 a page, {@code Link} to the
   * next), then each commit's own resource for its statistics.
   */
  private Page<Commit> restCommits(RepositoryRef repository, CommitCursor cursor) {
    String url = cursor.after() != null ? cursor.after().substring(REST.length())
        : http.repoUrl(repository) + "/commits?sha=" + cursor.head() + "&per_page=" + PAGE_SIZE;
    RestResult page = http.get("commits.list", url, Optional.empty(), repository);
    List<Commit> commits = new ArrayList<>(PAGE_SIZE);
    boolean reachedKnown = false;
    if (page.hasBody()) {
      for (JsonNode item : page.body()) {
        String sha = item.path("sha").asText();
        if (sha.equals(cursor.stopAt())) {
          reachedKnown = true;
          break;
        }
        RestResult detail = http.get("commits.detail", http.repoUrl(repository) + "/commits/" + sha,
            Optional.empty(), repository);
        Commit full = GitHubMapper.restCommit(detail.body());
        commits.add(commitFiles ? full : GitHubMapper.withoutFileList(full));
      }
    }
    boolean more = !reachedKnown && page.next().isPresent();
    String next = more
        ? Cursors.write(new CommitCursor(Cursors.PAGING, cursor.head(), REST + page.next().get(), cursor.stopAt(),
            cursor.etag()))
        : Cursors.write(new CommitCursor(Cursors.DONE, cursor.head(), null, null, cursor.etag()));
    return new Page<>(commits, next, !more);
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
    JsonNode history = ready != null ? await(ready) : fetchHistory(repository, head, after);
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

  private static JsonNode await(Future<JsonNode> page) {
    try {
      return page.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.gitcollector.core.model.PlatformUnavailableException("interrupted while fetching history", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof io.gitcollector.core.model.CollectorException error) {
        throw error;
      }
      throw new io.gitcollector.core.model.PlatformUnavailableException("fetching history failed: " + e.getCause(),
          e.getCause());
    }
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

  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    PullCursor cursor = Cursors.read(request, PullCursor.class);
    if (cursor == null || Cursors.DONE.equals(cursor.phase())) {
      Optional<String> etag = Optional.ofNullable(cursor).map(PullCursor::etag);
      // the newest page, not the newest one: every pull request that ties with the newest update time must be
      // remembered, or the next pass emits again those it does not remember
      RestResult probe = http.get("pulls.newest",
          http.repoUrl(repository) + "/pulls?state=all&sort=updated&direction=desc&per_page=" + PAGE_SIZE, etag,
          repository);
      if (probe.notModified()) {
        return Page.unchanged(request.cursor().orElseThrow());
      }
      String newEtag = probe.etag().orElse(null);
      if (!probe.hasBody() || probe.body().isEmpty()) {
        return new Page<>(List.of(), Cursors.write(
            new PullCursor(Cursors.DONE, false, null, null, List.of(), null, List.of(), newEtag)), true);
      }
      String newWatermark = probe.body().get(0).path("updated_at").asText();
      Instant newestTime = GitHubMapper.instant(newWatermark);
      List<Long> newNumbers = new ArrayList<>();
      for (JsonNode pull : probe.body()) {
        if (GitHubMapper.instant(pull.path("updated_at").asText()).equals(newestTime)) {
          newNumbers.add(pull.path("number").asLong());
        }
      }
      boolean incremental = cursor != null && cursor.watermark() != null && request.mode() == SyncMode.INCREMENTAL;
      cursor = incremental
          ? new PullCursor(Cursors.PAGING, true, null, cursor.watermark(), cursor.watermarkNumbers(), newWatermark,
              newNumbers, newEtag)
          : new PullCursor(Cursors.PAGING, false, null, null, List.of(), newWatermark, newNumbers, newEtag);
    }
    boolean restCursor = cursor.after() != null && cursor.after().startsWith(REST);
    if (anonymous || restCursor) {
      if (!restCursor && cursor.after() != null) {
        cursor = new PullCursor(Cursors.PAGING, cursor.incremental(), null, cursor.watermark(),
            cursor.watermarkNumbers(), cursor.newWatermark(), cursor.newWatermarkNumbers(), cursor.etag());
      }
      return restPullRequests(repository, cursor);
    }
    ObjectNode variables = pageVariables(repository, cursor.after());
    variables.put("orderField", cursor.incremental() ? "UPDATED_AT" : "CREATED_AT");
    variables.put("direction", cursor.incremental() ? "DESC" : "ASC");
    JsonNode connection = http.graphql("PullRequests", Queries.PULL_REQUESTS, variables, repository)
        .path("repository").path("pullRequests");
    List<PullRequest> pulls = new ArrayList<>(PAGE_SIZE);
    boolean reachedWatermark = aboveWatermark(connection.path("nodes"), cursor, "updatedAt",
        node -> toPullRequest(repository, node), pulls);
    boolean more = !reachedWatermark && connection.path("pageInfo").path("hasNextPage").asBoolean(false);
    String next = more
        ? Cursors.write(new PullCursor(Cursors.PAGING, cursor.incremental(),
            connection.path("pageInfo").path("endCursor").asText(), cursor.watermark(), cursor.watermarkNumbers(),
            cursor.newWatermark(), cursor.newWatermarkNumbers(), cursor.etag()))
        : Cursors.write(new PullCursor(Cursors.DONE, false, null, cursor.newWatermark(),
            cursor.newWatermarkNumbers(), null, List.of(), cursor.etag()));
    return new Page<>(pulls, next, !more);
  }

  /**
   * Pull requests through REST alone, in the same order and with the same watermark rules as the GraphQL walk: by
   * creation in a full pass, by update time (newest first, down to the watermark) in an incremental one; each pull
   * request's reviews cost one more request.
   */
  private Page<PullRequest> restPullRequests(RepositoryRef repository, PullCursor cursor) {
    String url = cursor.after() != null ? cursor.after().substring(REST.length())
        : http.repoUrl(repository) + "/pulls?state=all&per_page=" + PAGE_SIZE
            + (cursor.incremental() ? "&sort=updated&direction=desc" : "&sort=created&direction=asc");
    RestResult page = http.get("pulls.list", url, Optional.empty(), repository);
    List<PullRequest> pulls = new ArrayList<>(PAGE_SIZE);
    boolean reachedWatermark = page.hasBody() && aboveWatermark(page.body(), cursor, "updated_at",
        node -> GitHubMapper.restPullRequest(node, restReviews(repository, node.path("number").asLong())), pulls);
    boolean more = !reachedWatermark && page.next().isPresent();
    String next = more
        ? Cursors.write(new PullCursor(Cursors.PAGING, cursor.incremental(), REST + page.next().get(),
            cursor.watermark(), cursor.watermarkNumbers(), cursor.newWatermark(), cursor.newWatermarkNumbers(),
            cursor.etag()))
        : Cursors.write(new PullCursor(Cursors.DONE, false, null, cursor.newWatermark(),
            cursor.newWatermarkNumbers(), null, List.of(), cursor.etag()));
    return new Page<>(pulls, next, !more);
  }

  /**
   * Maps the pull requests above the previous pass's watermark into {@code into}, skipping those at the watermark
   * time that the previous pass already emitted; true when the walk reached below the watermark (it is over).
   */
  private static boolean aboveWatermark(Iterable<JsonNode> nodes, PullCursor cursor, String updatedField,
      java.util.function.Function<JsonNode, PullRequest> map, List<PullRequest> into) {
    Instant watermark = cursor.watermark() == null ? null : GitHubMapper.instant(cursor.watermark());
    for (JsonNode node : nodes) {
      if (watermark != null) {
        Instant updated = GitHubMapper.instant(node.path(updatedField).asText());
        if (updated.isBefore(watermark)) {
          return true;
        }
        if (updated.equals(watermark) && cursor.watermarkNumbers().contains(node.path("number").asLong())) {
          continue;
        }
      }
      into.add(map.apply(node));
    }
    return false;
  }

  /** Every review of a pull request, through REST ({@code Link} pagination). */
  private List<Review> restReviews(RepositoryRef repository, long number) {
    List<Review> reviews = new ArrayList<>();
    Optional<String> url = Optional.of(http.repoUrl(repository) + "/pulls/" + number + "/reviews?per_page=100");
    while (url.isPresent()) {
      RestResult page = http.get("pulls.reviews", url.get(), Optional.empty(), repository);
      if (page.hasBody()) {
        for (JsonNode review : page.body()) {
          reviews.add(GitHubMapper.restReview(review));
        }
      }
      url = page.next();
    }
    return reviews;
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

  // ------------------------------------------------------------------ contributors

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    ContributorCursor cursor = Cursors.read(request, ContributorCursor.class);
    RestResult result;
    String etag;
    if (cursor != null && !Cursors.DONE.equals(cursor.phase()) && !http.allows(cursor.next())) {
      // a link to another origin stored before such links were refused: start the pass again instead
      cursor = null;
    }
    if (cursor == null || Cursors.DONE.equals(cursor.phase())) {
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
      return new Page<>(contributors, Cursors.write(new ContributorCursor(Cursors.PAGING, result.next().get(), etag)),
          false);
    }
    return new Page<>(contributors, Cursors.write(new ContributorCursor(Cursors.DONE, null, etag)), true);
  }

  // ------------------------------------------------------------------ webhooks

  @Override
  public WebhookEvent parseWebhook(WebhookDelivery delivery, Optional<Secret> secret) {
    return GitHubWebhooks.parse(delivery, secret, json);
  }

  @Override
  public void close() {
    prefetcher.shutdownNow();
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

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
