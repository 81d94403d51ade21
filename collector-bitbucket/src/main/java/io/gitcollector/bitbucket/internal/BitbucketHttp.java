package io.gitcollector.bitbucket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.toolkit.Listing;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bitbucket Cloud's HTTP conventions: bearer or basic authentication, {@code pagelen} pages with the next page's URL in
 * the body, JSON error bodies ({@code {"type":"error","error":{"message":…}}}), 429s without {@code Retry-After}.
 * Every request runs through the engine's {@link RemoteCallExecutor}.
 */
final class BitbucketHttp {
  private final OkHttpClient http;
  private final ApiAccess access;
  private final ObjectMapper json = new ObjectMapper();
  private final String apiBase;
  private final Duration rateLimitBackoff;
  /** 429s in a row: Bitbucket sends no Retry-After, so the pause grows while they continue. */
  private final AtomicInteger consecutive429 = new AtomicInteger();

  BitbucketHttp(ApiAccess access, String apiBase, Duration rateLimitBackoff) {
    this.access = access;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build();
    this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    this.rateLimitBackoff = rateLimitBackoff;
  }

  String workspaceUrl(String workspace) {
    return apiBase + "/repositories/" + workspace;
  }

  String repoUrl(RepositoryRef repository) {
    return apiBase + "/repositories/" + repository.path();
  }

  /** One page of a list: its {@code values} and the URL of the next page. */
  Listing<JsonNode> page(String operation, String url, RepositoryRef repository) {
    JsonNode body = get(operation, url, repository);
    List<JsonNode> values = new ArrayList<>();
    body.path("values").forEach(values::add);
    return new Listing<>(values, Optional.ofNullable(body.path("next").asText(null)));
  }

  /** Every value of a list, following {@code next} to the end. */
  List<JsonNode> all(String operation, String url, RepositoryRef repository) {
    List<JsonNode> values = new ArrayList<>();
    Optional<String> next = Optional.of(url);
    while (next.isPresent()) {
      Listing<JsonNode> page = page(operation, next.get(), repository);
      values.addAll(page.items());
      next = page.next();
    }
    return values;
  }

  JsonNode get(String operation, String url, RepositoryRef repository) {
    return access.calls().execute(operation, "core", url, () -> {
      Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json")
          .header("User-Agent", "git-collector");
      access.token().ifPresent(t -> request.header("Authorization", authorization(t)));
      try (Response response = http.newCall(request.build()).execute()) {
        int code = response.code();
        if (code == 200) {
          consecutive429.set(0);
          JsonNode body;
          try (InputStream in = response.body().byteStream()) {
            body = json.readTree(in);
          }
          Optional<CallResult<JsonNode>> foreign =
              access.refuseForeign(Optional.ofNullable(body.path("next").asText(null)), operation);
          return foreign.orElseGet(() -> CallResult.success(body, Optional.empty()));
        }
        String message = PlatformResponses.errorMessage(response.body().string(), response.message(), "error",
            "message");
        Optional<Duration> retryAfter = code != 429 ? Optional.empty()
            : PlatformResponses.retryAfter(response.header("Retry-After"))
                .or(() -> Optional.of(backoff(consecutive429.getAndIncrement())));
        return access.responses().failure(code, message, operation, repository, Optional.empty(), retryAfter);
      }
    });
  }

  /**
   * The pause after the {@code strike}th 429 in a row: 2 s, doubling while they continue, up to
   * {@code rate_limit_backoff_seconds}. A fixed long pause made one stray 429 in a hundred requests cost a
   * collection 40 times its time.
   */
  Duration backoff(int strike) {
    Duration first = Duration.ofSeconds(2);
    Duration grown = first.multipliedBy(1L << Math.min(strike, 10));
    return grown.compareTo(rateLimitBackoff) > 0 ? rateLimitBackoff : grown;
  }

  private static String authorization(Secret token) {
    String value = token.reveal();
    if (value.contains(":")) {
      return "Basic " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
    return "Bearer " + value;
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
