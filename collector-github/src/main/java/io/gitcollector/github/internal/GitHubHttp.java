package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * GitHub's HTTP conventions in one place: authentication, API version, ETags, {@code Link} pagination, the
 * {@code x-ratelimit-*} headers, and the meaning of each status code. Every request runs through the engine's
 * {@link RemoteCallExecutor}.
 */
final class GitHubHttp {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient http;
  private final ApiAccess access;
  private final ObjectMapper json = new ObjectMapper();
  private final String restBase;
  private final String graphqlUrl;
  private final GitHubCredentials credentials;

  GitHubHttp(OkHttpClient http, ApiAccess access, String restBase, String graphqlUrl, GitHubCredentials credentials) {
    this.credentials = credentials;
    this.access = access;
    this.http = http;
    this.restBase = restBase;
    this.graphqlUrl = graphqlUrl;
  }

  /** With the read timeout the {@code read_timeout_seconds} setting names (default 60). */
  static OkHttpClient newClient(int readTimeoutSeconds) {
    return new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(readTimeoutSeconds, TimeUnit.SECONDS)
        .writeTimeout(30, TimeUnit.SECONDS)
        .followRedirects(true)
        .retryOnConnectionFailure(false)
        .build();
  }

  String restBase() {
    return restBase;
  }

  String repoUrl(RepositoryRef repository) {
    return restBase + "/repos/" + repository.path();
  }

  /** GET a REST resource; a 404 names the repository and says whether a token might help. */
  RestResult get(String operation, String url, Optional<String> ifNoneMatch, RepositoryRef repository) {
    return access.calls().execute(operation, "core" + credentials.budget(repository), url, () -> {
      Optional<Secret> token = credentials.token(repository);
      Request.Builder request = base(url, token).get();
      ifNoneMatch.ifPresent(etag -> request.header("If-None-Match", etag));
      try (Response response = http.newCall(request.build()).execute()) {
        Optional<RateLimitStatus> rateLimit = rateLimit(response, "core");
        Optional<String> etag = Optional.ofNullable(response.header("ETag"));
        int code = response.code();
        if (code == 304) {
          return CallResult.success(RestResult.empty(304, ifNoneMatch), rateLimit);
        }
        if (code == 204 || code == 409) {
          // 204: contributors of an empty repository; 409: "Git Repository is empty."
          return CallResult.success(RestResult.empty(code, etag), rateLimit);
        }
        if (code == 200) {
          JsonNode body = readBody(response);
          Optional<String> next = PlatformResponses.nextLink(response.header("Link"));
          Optional<CallResult<RestResult>> foreign = access.refuseForeign(next, operation);
          return foreign.orElseGet(() -> CallResult.success(new RestResult(200, body, etag, next), rateLimit));
        }
        return failure(operation, response, rateLimit, repository, token);
      }
    });
  }

  /** POST a GraphQL query; errors in the body are classified like status codes. */
  JsonNode graphql(String operation, String query, ObjectNode variables, RepositoryRef repository) {
    return graphql(operation, query, first -> variables, null, repository);
  }

  /**
   * A GraphQL query whose page size ({@code first}) adapts: GitHub answers 502 or 504 when a query takes too long (large
   * histories, many files), so each such answer halves the size for the retry and the following pages, down to 10;
   * a run of successes grows it back towards {@code pageSize}'s ceiling.
   */
  JsonNode graphql(String operation, String query, java.util.function.IntFunction<ObjectNode> variables,
      AdaptivePageSize pageSize, RepositoryRef repository) {
    return access.calls().execute("graphql." + operation, "graphql" + credentials.budget(repository), graphqlUrl,
        () -> {
      Optional<Secret> token = credentials.token(repository);
      int size = pageSize == null ? 0 : pageSize.current();
      ObjectNode payload = json.createObjectNode();
      payload.put("query", query);
      payload.put("operationName", operation);
      payload.set("variables", variables.apply(size));
      byte[] body = json.writeValueAsBytes(payload);
      Request request = base(graphqlUrl, token).post(RequestBody.create(body, JSON_TYPE)).build();
      try (Response response = http.newCall(request).execute()) {
        Optional<RateLimitStatus> rateLimit = rateLimit(response, "graphql");
        if ((response.code() == 502 || response.code() == 504) && pageSize != null) {
          pageSize.shrink();
        }
        if (response.code() != 200) {
          return failure("graphql." + operation, response, rateLimit, repository, token);
        }
        if (pageSize != null) {
          pageSize.succeeded();
        }
        JsonNode tree = readBody(response);
        JsonNode errors = tree.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
          JsonNode first = errors.get(0);
          String type = first.path("type").asText("");
          String message = first.path("message").asText("GraphQL error");
          return switch (type) {
            case "RATE_LIMITED" -> new CallResult.RateLimited<>(
                PlatformResponses.retryAfter(response.header("Retry-After")), rateLimit,
                rateLimit.map(r -> r.remaining() > 0).orElse(true), message);
            case "NOT_FOUND" -> CallResult.permanentFailure(access.responses().notFound(repository, message));
            case "FORBIDDEN" -> CallResult.permanentFailure(new PermissionDeniedException(
                "GitHub denied " + operation + " on " + repository + ": " + message));
            default -> CallResult.permanentFailure(new ProtocolException(
                "GitHub GraphQL " + operation + " on " + repository + " failed: " + type + " " + message));
          };
        }
        return CallResult.success(tree.path("data"), rateLimit);
      }
    });
  }

  private static Request.Builder base(String url, Optional<Secret> token) {
    Request.Builder builder = new Request.Builder()
        .url(url)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("User-Agent", "git-collector");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.reveal()));
    return builder;
  }

  private JsonNode readBody(Response response) throws IOException {
    ResponseBody body = response.body();
    try (InputStream in = body.byteStream()) {
      // a truncated body fails here with an IOException, which the engine retries
      return json.readTree(in);
    }
  }

  /**
   * GitHub answers a rate limit with 403 or 429: a secondary limit says so in its message or sends
   * {@code Retry-After} while points remain; a primary one has no points left. Any other 403 is a denial.
   */
  private <T> CallResult<T> failure(String operation, Response response, Optional<RateLimitStatus> rateLimit,
      RepositoryRef repository, Optional<Secret> token) throws IOException {
    int code = response.code();
    if (code == 401 && token.isPresent() && credentials.refused(repository, token.get())) {
      // an installation token refused before its announced expiry: a new one is fetched for the next attempt
      return CallResult.transientFailure("GitHub refused an installation token; asking for a new one", rateLimit);
    }
    String message = PlatformResponses.errorMessage(response.body().string(), response.message(), "message");
    Optional<Duration> retryAfter = PlatformResponses.retryAfter(response.header("Retry-After"));
    if (code == 403 || code == 429) {
      boolean secondary = message.toLowerCase(Locale.ROOT).contains("secondary rate limit")
          || (retryAfter.isPresent() && rateLimit.map(r -> r.remaining() > 0).orElse(true));
      boolean primary = rateLimit.map(r -> r.remaining() == 0).orElse(false);
      if (secondary || primary || code == 429) {
        return new CallResult.RateLimited<>(retryAfter, rateLimit, secondary || !primary, message);
      }
    }
    return access.responses().failure(code, message, operation, repository, rateLimit, retryAfter);
  }

  static Optional<RateLimitStatus> rateLimit(Response response, String defaultResource) {
    return PlatformResponses.rateLimit(
        Optional.ofNullable(response.header("x-ratelimit-resource")).orElse(defaultResource),
        response.header("x-ratelimit-limit"), response.header("x-ratelimit-remaining"),
        response.header("x-ratelimit-reset"));
  }

  /** Whether a URL (a stored cursor's, say) is on the API's origins. */
  boolean allows(String url) {
    return access.origins().allows(url);
  }
}
