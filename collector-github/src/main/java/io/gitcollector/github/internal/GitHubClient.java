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
  static final int PAGE_SIZE = 100;

  private final ObjectMapper json = new ObjectMapper();
  private final OkHttpClient okHttp;
  private final GitHubHttp http;
  private final boolean commitFiles;
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
      RestResult probe = http.get("pulls.newest",
          http.repoUrl(repository) + "/pulls?state=all&sort=updated&direction=desc&per_page=1", etag, repository);
      if (probe.notModified()) {
        return Page.unchanged(request.cursor().orElseThrow());
      }
      String newEtag = probe.etag().orElse(null);
      if (!probe.hasBody() || probe.body().isEmpty()) {
        return new Page<>(List.of(), Cursors.write(
            new PullCursor(Cursors.DONE, false, null, null, List.of(), null, List.of(), newEtag)), true);
      }
      JsonNode newest = probe.body().get(0);
      String newWatermark = newest.path("updated_at").asText();
      List<Long> newNumbers = List.of(newest.path("number").asLong());
      boolean incremental = cursor != null && cursor.watermark() != null && request.mode() == SyncMode.INCREMENTAL;
      cursor = incremental
          ? new PullCursor(Cursors.PAGING, true, null, cursor.watermark(), cursor.watermarkNumbers(), newWatermark,
              newNumbers, newEtag)
          : new PullCursor(Cursors.PAGING, false, null, null, List.of(), newWatermark, newNumbers, newEtag);
    }
    ObjectNode variables = pageVariables(repository, cursor.after());
    variables.put("orderField", cursor.incremental() ? "UPDATED_AT" : "CREATED_AT");
    variables.put("direction", cursor.incremental() ? "DESC" : "ASC");
    JsonNode connection = http.graphql("PullRequests", Queries.PULL_REQUESTS, variables, repository)
        .path("repository").path("pullRequests");
    List<PullRequest> pulls = new ArrayList<>(PAGE_SIZE);
    boolean reachedWatermark = false;
    Instant watermark = cursor.watermark() == null ? null : GitHubMapper.instant(cursor.watermark());
    for (JsonNode node : connection.path("nodes")) {
      if (watermark != null) {
        Instant updated = GitHubMapper.instant(node.path("updatedAt").asText());
        if (updated.isBefore(watermark)) {
          reachedWatermark = true;
          break;
        }
        if (updated.equals(watermark) && cursor.watermarkNumbers().contains(node.path("number").asLong())) {
          continue;
        }
      }
      pulls.add(toPullRequest(repository, node));
    }
    boolean more = !reachedWatermark && connection.path("pageInfo").path("hasNextPage").asBoolean(false);
    String next = more
        ? Cursors.write(new PullCursor(Cursors.PAGING, cursor.incremental(),
            connection.path("pageInfo").path("endCursor").asText(), cursor.watermark(), cursor.watermarkNumbers(),
            cursor.newWatermark(), cursor.newWatermarkNumbers(), cursor.etag()))
        : Cursors.write(new PullCursor(Cursors.DONE, false, null, cursor.newWatermark(),
            cursor.newWatermarkNumbers(), null, List.of(), cursor.etag()));
    return new Page<>(pulls, next, !more);
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
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
    long number = node.path("number").asLong();
    List<Review> reviews = new ArrayList<>();
    Optional<String> url = Optional.of(http.repoUrl(repository) + "/pulls/" + number + "/reviews?per_page=100");
    while (url.isPresent()) {
      RestResult page = http.get("pulls.reviews", url.get(), Optional.empty(), repository);
      for (JsonNode review : page.body()) {
        reviews.add(GitHubMapper.restReview(review));
      }
      url = page.next();
    }
    return GitHubMapper.pullRequest(node, Optional.of(reviews));
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
