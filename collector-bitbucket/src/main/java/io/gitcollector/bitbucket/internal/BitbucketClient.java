package io.gitcollector.bitbucket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.bitbucket.BitbucketPlatformProvider;
import io.gitcollector.core.codec.CursorCodec;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.ParallelFetches;
import io.gitcollector.core.spi.PlatformContext;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.WebhookDelivery;
import io.gitcollector.core.spi.WebhookEvent;
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
 * Reads Bitbucket Cloud. Commit statistics come from each commit's diffstat (Bitbucket has no batched form: one
 * request per commit, fetched in parallel within a page); incremental commits use {@code include}/{@code exclude},
 * which lists exactly the commits reachable from the new head and not from the old one. Pull requests in every state
 * with their participants in one list request per 50, plus one comments request for each pull request that has
 * comments. Contributors are derived from commit authors: Bitbucket has no contributors endpoint.
 */
public final class BitbucketClient implements PlatformClient {
  static final int COMMIT_PAGE = 100;
  static final int PULL_PAGE = 50;
  private static final String ALL_STATES = "state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED";

  private final ObjectMapper json = new ObjectMapper();
  private final BitbucketHttp http;
  private final boolean commitFiles;
  private final ParallelFetches diffstats;

  public BitbucketClient(PlatformConfig config, PlatformContext context) {
    String base = config.apiBaseUrl().orElse(BitbucketPlatformProvider.DEFAULT_API_URL);
    this.http = new BitbucketHttp(json, context.calls(), context.apiOrigins(), config.token(),
        base.endsWith("/") ? base.substring(0, base.length() - 1) : base,
        Duration.ofSeconds(config.intSetting("rate_limit_backoff_seconds", 30, 1, 3600)));
    this.commitFiles = config.booleanSetting("commit_files", false);
    this.diffstats = new ParallelFetches("bitbucket-diffstat", Math.max(2, context.concurrency()));
  }

  record RepositoryCursor(String updatedOn) {}

  record CommitCursor(String phase, String head, String next, String stop) {}

  record PullCursor(String phase, boolean incremental, String next, String watermark, List<Long> watermarkIds,
      String newWatermark, List<Long> newWatermarkIds) {}

  record AuthorCount(String login, String name, String email, long count) {}

  record ContributorCursor(String phase, String head, String next, Map<String, AuthorCount> counts) {}

  // ------------------------------------------------------------------ repository

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    RepositoryCursor cursor = read(request, RepositoryCursor.class);
    Repository metadata = BitbucketMapper.repository(http.get("repository", http.repoUrl(repository), repository));
    String updated = metadata.updatedAt().toString();
    String next = write(new RepositoryCursor(updated));
    if (cursor != null && updated.equals(cursor.updatedOn())) {
      return new Page<>(List.of(), next, true);
    }
    return new Page<>(List.of(metadata), next, true);
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
      String first = previous == null
          ? http.repoUrl(repository) + "/commits/" + head.get() + "?pagelen=" + COMMIT_PAGE
          : http.repoUrl(repository) + "/commits?include=" + head.get() + "&exclude=" + previous + "&pagelen="
              + COMMIT_PAGE;
      cursor = new CommitCursor("paging", head.get(), first, previous);
    }
    JsonNode page = http.get("commits", cursor.next(), repository);
    List<JsonNode> nodes = new ArrayList<>();
    page.path("values").forEach(nodes::add);
    List<Commit> commits = withDiffstats(repository, nodes);
    String next = page.path("next").asText(null);
    if (next == null) {
      return new Page<>(commits, write(new CommitCursor("done", cursor.head(), null, null)), true);
    }
    return new Page<>(commits, write(new CommitCursor("paging", cursor.head(), next, cursor.stop())), false);
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
    List<List<JsonNode>> stats = diffstats.map(nodes, "a diffstat", node -> allValues("commits.diffstat",
        http.repoUrl(repository) + "/diffstat/" + node.path("hash").asText() + "?pagelen=500", repository));
    List<Commit> commits = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      commits.add(BitbucketMapper.commit(nodes.get(i), stats.get(i), commitFiles));
    }
    return commits;
  }

  // ------------------------------------------------------------------ pull requests

  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    PullCursor cursor = read(request, PullCursor.class);
    if (cursor == null || "done".equals(cursor.phase())) {
      // the newest page, not the newest one: every pull request that ties with the newest update time must be
      // remembered, or the next pass emits again those it does not remember
      JsonNode newest = http.get("pullrequests.newest", http.repoUrl(repository) + "/pullrequests?" + ALL_STATES
          + "&sort=-updated_on&pagelen=" + PULL_PAGE + "&fields=values.id,values.updated_on", repository)
          .path("values");
      if (newest.isEmpty()) {
        return new Page<>(List.of(), write(new PullCursor("done", false, null, null, List.of(), null, List.of())),
            true);
      }
      Instant newestTime = BitbucketMapper.instant(newest.get(0).path("updated_on").asText());
      String newWatermark = newestTime.toString();
      List<Long> newIds = new ArrayList<>();
      for (JsonNode pull : newest) {
        if (BitbucketMapper.instant(pull.path("updated_on").asText()).equals(newestTime)) {
          newIds.add(pull.path("id").asLong());
        }
      }
      java.util.Collections.sort(newIds);
      boolean incremental = cursor != null && cursor.watermark() != null && request.mode() == SyncMode.INCREMENTAL;
      if (incremental && newWatermark.equals(cursor.watermark()) && newIds.equals(cursor.watermarkIds())) {
        return new Page<>(List.of(), request.cursor().orElseThrow(), true);
      }
      String fields = "&fields=" + encode("+values.participants");
      String first = incremental
          ? http.repoUrl(repository) + "/pullrequests?" + ALL_STATES + "&sort=-updated_on&pagelen=" + PULL_PAGE
              + "&q=" + encode("updated_on>=\"" + cursor.watermark() + "\"") + fields
          : http.repoUrl(repository) + "/pullrequests?" + ALL_STATES + "&sort=id&pagelen=" + PULL_PAGE + fields;
      cursor = incremental
          ? new PullCursor("paging", true, first, cursor.watermark(), cursor.watermarkIds(), newWatermark, newIds)
          : new PullCursor("paging", false, first, null, List.of(), newWatermark, newIds);
    }
    JsonNode page = http.get("pullrequests", cursor.next(), repository);
    Instant watermark = cursor.watermark() == null ? null : Instant.parse(cursor.watermark());
    List<PullRequest> pulls = new ArrayList<>();
    for (JsonNode node : page.path("values")) {
      if (watermark != null && BitbucketMapper.instant(node.path("updated_on").asText()).equals(watermark)
          && cursor.watermarkIds().contains(node.path("id").asLong())) {
        continue;
      }
      pulls.add(withComments(repository, node));
    }
    String next = page.path("next").asText(null);
    if (next == null) {
      return new Page<>(pulls, write(new PullCursor("done", false, null, cursor.newWatermark(),
          cursor.newWatermarkIds(), null, List.of())), true);
    }
    return new Page<>(pulls, write(new PullCursor("paging", cursor.incremental(), next, cursor.watermark(),
        cursor.watermarkIds(), cursor.newWatermark(), cursor.newWatermarkIds())), false);
  }

  @Override
  public Optional<PullRequest> pullRequest(RepositoryRef repository, long number) {
    JsonNode node = http.get("pullrequest", http.repoUrl(repository) + "/pullrequests/" + number, repository);
    return Optional.of(withComments(repository, node));
  }

  private PullRequest withComments(RepositoryRef repository, JsonNode node) {
    List<JsonNode> comments = node.path("comment_count").asInt(0) == 0 ? List.of()
        : allValues("pullrequests.comments", http.repoUrl(repository) + "/pullrequests/" + node.path("id").asLong()
            + "/comments?pagelen=100", repository);
    return BitbucketMapper.pullRequest(node, comments);
  }

  // ------------------------------------------------------------------ contributors

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    ContributorCursor cursor = read(request, ContributorCursor.class);
    if (cursor == null || "done".equals(cursor.phase())) {
      Optional<String> head = head(repository);
      String previous = cursor == null ? null : cursor.head();
      if (head.isEmpty() || head.get().equals(previous)) {
        return new Page<>(List.of(), write(new ContributorCursor("done", head.orElse(previous), null, Map.of())),
            true);
      }
      cursor = new ContributorCursor("paging", head.get(), http.repoUrl(repository) + "/commits/" + head.get()
          + "?pagelen=" + COMMIT_PAGE + "&fields=" + encode("next,values.hash,values.author"), Map.of());
    }
    JsonNode page = http.get("contributors.commits", cursor.next(), repository);
    Map<String, AuthorCount> counts = new LinkedHashMap<>(cursor.counts());
    for (JsonNode commit : page.path("values")) {
      var identity = BitbucketMapper.identity(commit.path("author"), Instant.EPOCH);
      String key = identity.login().map(l -> "login:" + l).orElse("email:" + identity.email());
      counts.merge(key, new AuthorCount(identity.login().orElse(null), identity.name(), identity.email(), 1),
          (a, b) -> new AuthorCount(a.login(), a.name(), a.email(), a.count() + 1));
    }
    String next = page.path("next").asText(null);
    if (next != null) {
      return new Page<>(List.of(), write(new ContributorCursor("paging", cursor.head(), next, counts)), false);
    }
    Instant now = Instant.now();
    List<Contributor> contributors = new ArrayList<>();
    counts.values().forEach(c -> contributors.add(new Contributor(Optional.empty(), Optional.ofNullable(c.login()),
        Optional.ofNullable(c.name()).filter(n -> !n.isBlank()), Optional.ofNullable(c.email())
            .filter(e -> !e.isBlank()), c.count(), now)));
    return new Page<>(contributors, write(new ContributorCursor("done", cursor.head(), null, Map.of())), true);
  }

  // ------------------------------------------------------------------ webhooks and plumbing

  @Override
  public WebhookEvent parseWebhook(WebhookDelivery delivery, Optional<Secret> secret) {
    return BitbucketWebhooks.parse(delivery, secret, json);
  }

  @Override
  public void close() {
    diffstats.close();
    http.close();
  }

  /** Every value of a paginated resource, following {@code next} to the end. */
  private List<JsonNode> allValues(String operation, String url, RepositoryRef repository) {
    List<JsonNode> values = new ArrayList<>();
    String next = url;
    while (next != null) {
      JsonNode page = http.get(operation, next, repository);
      page.path("values").forEach(values::add);
      next = page.path("next").asText(null);
    }
    return values;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The request's cursor, or null where there is none or it cannot be read (the stream then starts over). */
  private static <T> T read(StreamRequest request, Class<T> type) {
    return CursorCodec.read(request.cursor(), type).orElse(null);
  }

  private static String write(Object cursor) {
    return CursorCodec.write(cursor);
  }

}
