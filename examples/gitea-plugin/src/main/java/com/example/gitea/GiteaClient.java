package com.example.gitea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StreamRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Gitea's REST API (v1), every request through the engine's {@link RemoteCallExecutor}, so the plugin gets the
 * collector's rate limiting, retries and circuit breaking without a line of its own. Commits come with their
 * statistics ({@code stat=true}); pages hold 50 items, Gitea's usual maximum, and {@code X-HasMore} says whether
 * another follows. Contributors are derived from commit authors.
 */
final class GiteaClient implements PlatformClient {
  static final int LIMIT = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String apiBase;
  private final Optional<Secret> token;
  private final RemoteCallExecutor calls;

  GiteaClient(String apiBase, Optional<Secret> token, RemoteCallExecutor calls) {
    this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    this.token = token;
    this.calls = calls;
  }

  /** A page of a list: its items and whether another page follows. */
  private record Listing(JsonNode items, boolean hasMore) {}

  private Listing get(String operation, String path, RepositoryRef repository) {
    // with the URL, the engine checks that the token only goes to the configured API origin
    return calls.execute(operation, "core", apiBase + path, () -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiBase + path))
          .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
      token.ifPresent(t -> request.header("Authorization", "token " + t.reveal()));
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = response.statusCode();
      if (status == 200) {
        boolean more = response.headers().firstValue("X-HasMore").map(Boolean::parseBoolean).orElse(false);
        return CallResult.success(new Listing(JSON.readTree(response.body()), more), Optional.empty());
      }
      if (status == 429) {
        return new CallResult.RateLimited<>(response.headers().firstValue("Retry-After")
            .map(s -> Duration.ofSeconds(Long.parseLong(s.trim()))), Optional.empty(), true, "429 Too Many Requests");
      }
      if (status >= 500) {
        return CallResult.transientFailure("HTTP " + status, Optional.empty());
      }
      return CallResult.permanentFailure(switch (status) {
        case 401 -> new InvalidCredentialsException("Gitea refused the token (401); check GITEA_TOKEN");
        case 403 -> new PermissionDeniedException("Gitea denied " + operation + " on " + repository);
        case 404 -> new RepositoryNotFoundException("Gitea repository " + repository.path() + " was not found");
        default -> new ProtocolException("Gitea answered " + operation + " with HTTP " + status);
      });
    });
  }

  private String repo(RepositoryRef repository) {
    return "/repos/" + repository.path();
  }

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    JsonNode node = get("repository", repo(repository), repository).items();
    Repository metadata = new Repository(node.path("id").asText(), node.path("name").asText(),
        node.path("full_name").asText(), text(node, "description").filter(d -> !d.isBlank()),
        node.path("default_branch").asText("main"), node.path("private").asBoolean() ? "private" : "public",
        node.path("fork").asBoolean(), node.path("archived").asBoolean(),
        text(node, "language").filter(l -> !l.isBlank()), node.path("stars_count").asLong(),
        node.path("forks_count").asLong(), node.path("open_issues_count").asLong(), node.path("size").asLong(),
        instant(node.path("created_at").asText()), instant(node.path("updated_at").asText()), Optional.empty(),
        node.path("html_url").asText());
    String cursor = metadata.updatedAt().toString();
    boolean unchanged = request.cursor().map(cursor::equals).orElse(false);
    return new Page<>(unchanged ? List.of() : List.of(metadata), cursor, true);
  }

  // ------------------------------------------------------------------ commits

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    ObjectNode cursor = cursor(request);
    if (!cursor.path("phase").asText().equals("paging")) {
      Optional<String> head = head(repository);
      String previous = cursor.path("head").asText(null);
      if (head.isEmpty() || head.get().equals(previous)) {
        return new Page<>(List.of(), JSON.createObjectNode().put("phase", "done")
            .put("head", head.orElse(previous)).toString(), true);
      }
      cursor = JSON.createObjectNode().put("phase", "paging").put("head", head.get()).put("page", 1);
      if (previous != null) {
        cursor.put("stop", previous);
      }
    }
    String head = cursor.path("head").asText();
    int page = cursor.path("page").asInt();
    String stop = cursor.path("stop").asText(null);
    Listing listing = get("commits", repo(repository) + "/commits?sha=" + head + "&stat=true&files=false"
        + "&verification=false&limit=" + LIMIT + "&page=" + page, repository);
    List<Commit> commits = new ArrayList<>();
    boolean reachedKnown = false;
    for (JsonNode node : listing.items()) {
      if (node.path("sha").asText().equals(stop)) {
        reachedKnown = true;
        break;
      }
      commits.add(commit(node));
    }
    if (reachedKnown || !listing.hasMore()) {
      return new Page<>(commits, JSON.createObjectNode().put("phase", "done").put("head", head).toString(), true);
    }
    cursor.put("page", page + 1);
    return new Page<>(commits, cursor.toString(), false);
  }

  private Optional<String> head(RepositoryRef repository) {
    String branch = get("repository", repo(repository), repository).items().path("default_branch").asText("main");
    JsonNode first = get("commits.head", repo(repository) + "/commits?sha=" + branch
        + "&stat=false&files=false&verification=false&limit=1", repository).items();
    return first.isEmpty() ? Optional.empty() : Optional.of(first.get(0).path("sha").asText());
  }

  private static Commit commit(JsonNode node) {
    List<String> parents = new ArrayList<>();
    node.path("parents").forEach(p -> parents.add(p.path("sha").asText()));
    JsonNode git = node.path("commit");
    return new Commit(node.path("sha").asText(), parents, identity(git.path("author"), node.path("author")),
        identity(git.path("committer"), node.path("committer")), git.path("message").asText(""),
        node.path("stats").path("additions").asInt(), node.path("stats").path("deletions").asInt(), -1, List.of(),
        node.path("html_url").asText(""));
  }

  private static GitIdentity identity(JsonNode git, JsonNode account) {
    return new GitIdentity(git.path("name").asText(""), git.path("email").asText(""),
        instant(git.path("date").asText()), text(account, "login"));
  }

  // ------------------------------------------------------------------ pull requests

  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    ObjectNode cursor = cursor(request);
    if (!cursor.path("phase").asText().equals("paging")) {
      // the newest update when the pass begins becomes the next watermark, so nothing updated during the pass is missed
      JsonNode newest = get("pulls.newest", repo(repository) + "/pulls?state=all&sort=recentupdate&limit=1&page=1",
          repository).items();
      ObjectNode start = JSON.createObjectNode().put("phase", "paging").put("page", 1);
      if (!newest.isEmpty()) {
        start.put("next_watermark", instant(newest.get(0).path("updated_at").asText()).toString());
      }
      if (cursor.hasNonNull("watermark")) {
        start.put("since", cursor.path("watermark").asText());
      }
      cursor = start;
    }
    int page = cursor.path("page").asInt();
    Instant since = cursor.hasNonNull("since") ? Instant.parse(cursor.path("since").asText()) : null;
    // a full pass walks by creation (stable); an incremental one by update, newest first, down to the watermark
    Listing listing = get("pulls", repo(repository) + "/pulls?state=all&sort=" + (since != null ? "recentupdate"
        : "oldest") + "&limit=" + LIMIT + "&page=" + page, repository);
    List<PullRequest> pulls = new ArrayList<>();
    boolean reachedWatermark = false;
    for (JsonNode node : listing.items()) {
      if (since != null && !instant(node.path("updated_at").asText()).isAfter(since)) {
        reachedWatermark = true;
        break;
      }
      pulls.add(pullRequest(repository, node));
    }
    if (reachedWatermark || !listing.hasMore()) {
      ObjectNode done = JSON.createObjectNode().put("phase", "done");
      String watermark = cursor.hasNonNull("next_watermark") ? cursor.path("next_watermark").asText()
          : since == null ? null : since.toString();
      if (watermark != null) {
        done.put("watermark", watermark);
      }
      return new Page<>(pulls, done.toString(), true);
    }
    cursor.put("page", page + 1);
    return new Page<>(pulls, cursor.toString(), false);
  }

  private PullRequest pullRequest(RepositoryRef repository, JsonNode node) {
    long number = node.path("number").asLong();
    List<Review> reviews = new ArrayList<>();
    int page = 1;
    while (true) {
      Listing listing = get("pulls.reviews", repo(repository) + "/pulls/" + number + "/reviews?limit=" + LIMIT
          + "&page=" + page, repository);
      for (JsonNode review : listing.items()) {
        String state = switch (review.path("state").asText()) {
          case "APPROVED" -> "APPROVED";
          case "REQUEST_CHANGES" -> "CHANGES_REQUESTED";
          case "PENDING", "REQUEST_REVIEW" -> "PENDING";
          default -> "COMMENTED";
        };
        reviews.add(new Review(review.path("id").asText(), text(review.path("user"), "login"),
            review.path("dismissed").asBoolean() ? "DISMISSED" : state, text(review, "body"),
            text(review, "submitted_at").map(GiteaClient::instant), text(review, "commit_id")));
      }
      if (!listing.hasMore()) {
        break;
      }
      page++;
    }
    boolean merged = node.path("merged").asBoolean();
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(l -> labels.add(l.path("name").asText()));
    return new PullRequest(node.path("id").asText(), number,
        merged ? "merged" : node.path("state").asText("open"), node.path("title").asText(""),
        text(node.path("user"), "login"), node.path("head").path("ref").asText(""),
        node.path("base").path("ref").asText(""), instant(node.path("created_at").asText()),
        instant(node.path("updated_at").asText()), text(node, "merged_at").map(GiteaClient::instant),
        text(node, "closed_at").map(GiteaClient::instant), text(node, "merge_commit_sha"),
        node.path("draft").asBoolean(), labels, reviews, node.path("html_url").asText(""));
  }

  // ------------------------------------------------------------------ contributors

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    Optional<String> head = head(repository);
    if (head.isEmpty() || request.cursor().map(head.get()::equals).orElse(false)) {
      return new Page<>(List.of(), head.orElse(request.cursor().orElse("empty")), true);
    }
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, GitIdentity> identities = new LinkedHashMap<>();
    for (int page = 1; ; page++) {
      Listing listing = get("contributors.commits", repo(repository) + "/commits?sha=" + head.get()
          + "&stat=false&files=false&verification=false&limit=" + LIMIT + "&page=" + page, repository);
      for (JsonNode node : listing.items()) {
        GitIdentity author = identity(node.path("commit").path("author"), node.path("author"));
        String key = author.login().orElse(author.email());
        counts.computeIfAbsent(key, k -> new long[1])[0]++;
        identities.putIfAbsent(key, author);
      }
      if (!listing.hasMore()) {
        break;
      }
    }
    Instant now = Instant.now();
    List<Contributor> contributors = new ArrayList<>();
    counts.forEach((key, count) -> {
      GitIdentity who = identities.get(key);
      contributors.add(new Contributor(Optional.empty(), who.login(), Optional.of(who.name()).filter(n -> !n.isBlank()),
          Optional.of(who.email()).filter(e -> !e.isBlank()), count[0], now));
    });
    return new Page<>(contributors, head.get(), true);
  }

  // ------------------------------------------------------------------ helpers

  private static ObjectNode cursor(StreamRequest request) {
    try {
      return request.cursor().isPresent() ? (ObjectNode) JSON.readTree(request.cursor().get())
          : JSON.createObjectNode();
    } catch (IOException | ClassCastException e) {
      return JSON.createObjectNode();
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() ? Optional.empty() : Optional.of(value.asText());
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }
}
