package com.example.gitea;

import static io.gitcollector.core.spi.toolkit.JsonFields.nonBlank;
import static io.gitcollector.core.spi.toolkit.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.model.Repository;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.Review;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.PlatformClient;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.toolkit.JsonFields;
import io.gitcollector.core.spi.toolkit.Listing;
import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import io.gitcollector.core.spi.toolkit.UpdateTimeWalk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Gitea's REST API (v1) with the collector's adapter toolkit: every request goes through the engine's
 * {@link RemoteCallExecutor} (rate limiting, retries, circuit breaking, the token kept to its origin), the toolkit's
 * walks keep the cursors, and {@link PlatformResponses} says what each status means. Pages hold 50 items, Gitea's
 * usual maximum, and {@code X-HasMore} says whether another follows; commits come with their statistics.
 */
final class GiteaClient implements PlatformClient {
  static final int LIMIT = 50;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFields FIELDS = new JsonFields("Gitea");
  private static final String LIST = "stat=false&files=false&verification=false";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String apiBase;
  private final Optional<Secret> token;
  private final RemoteCallExecutor calls;
  private final PlatformResponses responses;

  GiteaClient(String apiBase, Optional<Secret> token, RemoteCallExecutor calls) {
    this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    this.token = token;
    this.calls = calls;
    this.responses = new PlatformResponses("Gitea", "repository", "GITEA_TOKEN", token.isPresent());
  }

  /** One page of a list, the page after it numbered when {@code X-HasMore} says there is one. */
  private Listing<JsonNode> list(String operation, String path, int page, RepositoryRef repository) {
    return list(operation, path, page, LIMIT, repository);
  }

  private Listing<JsonNode> list(String operation, String path, int page, int limit, RepositoryRef repository) {
    String url = apiBase + "/repos/" + repository.path() + path + (path.contains("?") ? "&" : "?") + "limit="
        + limit + "&page=" + page;
    return calls.execute(operation, "core", url, () -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
          .header("Accept", "application/json");
      token.ifPresent(t -> request.header("Authorization", "token " + t.reveal()));
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (response.statusCode() != 200) {
        return responses.failure(response.statusCode(), PlatformResponses.errorMessage(response.body(),
            "HTTP " + response.statusCode(), "message"), operation, repository, Optional.empty(),
            PlatformResponses.retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
      }
      JsonNode body = JSON.readTree(response.body());
      List<JsonNode> items = new ArrayList<>();
      if (body.isArray()) {
        body.forEach(items::add);
      } else {
        items.add(body);
      }
      boolean more = response.headers().firstValue("X-HasMore").map(Boolean::parseBoolean).orElse(false);
      return CallResult.success(new Listing<>(items, more ? Optional.of(Integer.toString(page + 1))
          : Optional.empty()), Optional.empty());
    });
  }

  private Listing<JsonNode> list(String operation, String path, Optional<String> page, RepositoryRef repository) {
    return list(operation, path, page.map(Integer::parseInt).orElse(1), repository);
  }

  @Override
  public Page<Repository> repository(RepositoryRef repository, StreamRequest request) {
    JsonNode node = list("repository", "", 1, repository).items().get(0);
    Repository metadata = Repository.builder().platformId(node.path("id").asText())
        .names(node.path("name").asText(), node.path("full_name").asText())
        .description(nonBlank(node, "description")).defaultBranch(node.path("default_branch").asText("main"))
        .visibility(node.path("private").asBoolean() ? "private" : "public").fork(node.path("fork").asBoolean())
        .archived(node.path("archived").asBoolean()).language(nonBlank(node, "language"))
        .counts(node.path("stars_count").asLong(), node.path("forks_count").asLong(),
            node.path("open_issues_count").asLong()).sizeKb(node.path("size").asLong())
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
            Optional.empty()).webUrl(node.path("html_url").asText()).build();
    String cursor = metadata.updatedAt().toString();
    boolean unchanged = request.cursor().map(cursor::equals).orElse(false);
    return new Page<>(unchanged ? List.of() : List.of(metadata), cursor, true);
  }

  @Override
  public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.commits(request, etag -> head(repository), (head, page, stop) -> list("commits",
        "/commits?sha=" + head + "&stat=true&files=false&verification=false", page, repository),
        node -> node.path("sha").asText(), nodes -> nodes.stream().map(GiteaClient::commit).toList());
  }

  @Override
  public Page<Contributor> contributors(RepositoryRef repository, StreamRequest request) {
    return PinnedHeadWalk.authors(request, etag -> head(repository), (head, page, stop) -> list(
        "contributors.commits", "/commits?sha=" + head + "&" + LIST, page, repository),
        node -> identity(node.path("commit").path("author"), node.path("author")));
  }

  private PinnedHeadWalk.Head head(RepositoryRef repository) {
    String branch = list("repository", "", 1, repository).items().get(0).path("default_branch").asText("main");
    List<JsonNode> first = list("commits.head", "/commits?sha=" + branch + "&" + LIST, 1, 1, repository).items();
    return PinnedHeadWalk.Head.of(first.stream().findFirst().map(node -> node.path("sha").asText()));
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
        FIELDS.requiredInstant(git, "date"), text(account, "login"));
  }

  /** A full pass oldest first; an incremental one most recently updated first, down to the watermark. */
  @Override
  public Page<PullRequest> pullRequests(RepositoryRef repository, StreamRequest request) {
    return UpdateTimeWalk.next(request, etag -> new UpdateTimeWalk.Newest(list("pulls.newest",
        "/pulls?state=all&sort=recentupdate", 1, repository).items().stream().map(GiteaClient::stamp).toList(),
        Optional.empty()), (incremental, page, watermark) -> list("pulls", "/pulls?state=all&sort="
            + (incremental ? "recentupdate" : "oldest"), page, repository),
        GiteaClient::stamp, nodes -> nodes.stream().map(node -> pullRequest(repository, node)).toList());
  }

  private static UpdateTimeWalk.Stamp stamp(JsonNode pull) {
    return new UpdateTimeWalk.Stamp(pull.path("number").asLong(), FIELDS.requiredInstant(pull, "updated_at"));
  }

  private PullRequest pullRequest(RepositoryRef repository, JsonNode node) {
    long number = node.path("number").asLong();
    List<Review> reviews = new ArrayList<>();
    Optional<String> page = Optional.of("1");
    while (page.isPresent()) {
      Listing<JsonNode> listing = list("pulls.reviews", "/pulls/" + number + "/reviews", page, repository);
      listing.items().forEach(review -> reviews.add(review(review)));
      page = listing.next();
    }
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(l -> labels.add(l.path("name").asText()));
    return PullRequest.builder().identity(node.path("id").asText(), number,
            node.path("merged").asBoolean() ? "merged" : node.path("state").asText("open"))
        .title(node.path("title").asText("")).author(text(node.path("user"), "login"))
        .branches(node.path("head").path("ref").asText(""), node.path("base").path("ref").asText(""))
        .times(FIELDS.requiredInstant(node, "created_at"), FIELDS.requiredInstant(node, "updated_at"),
            FIELDS.instant(node, "merged_at"), FIELDS.instant(node, "closed_at"))
        .mergeCommitSha(text(node, "merge_commit_sha")).draft(node.path("draft").asBoolean()).labels(labels)
        .reviews(reviews).webUrl(node.path("html_url").asText("")).build();
  }

  private static Review review(JsonNode review) {
    String state = switch (review.path("state").asText()) {
      case "APPROVED" -> "APPROVED";
      case "REQUEST_CHANGES" -> "CHANGES_REQUESTED";
      case "PENDING", "REQUEST_REVIEW" -> "PENDING";
      default -> "COMMENTED";
    };
    return new Review(review.path("id").asText(), text(review.path("user"), "login"),
        review.path("dismissed").asBoolean() ? "DISMISSED" : state, text(review, "body"),
        FIELDS.instant(review, "submitted_at"), text(review, "commit_id"));
  }
}
