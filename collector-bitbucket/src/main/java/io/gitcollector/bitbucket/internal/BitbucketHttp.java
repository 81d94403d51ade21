package io.gitcollector.bitbucket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.ApiOrigins;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bitbucket Cloud's HTTP conventions: bearer or basic authentication, JSON error bodies
 * ({@code {"type":"error","error":{"message":…}}}), 429s paced by the engine. Every request runs through the engine's
 * {@link RemoteCallExecutor}.
 */
final class BitbucketHttp {
  private final OkHttpClient http;
  private final ObjectMapper json;
  private final RemoteCallExecutor calls;
  private final Optional<Secret> token;
  private final String apiBase;
  private final Duration rateLimitBackoff;
  private final ApiOrigins origins;
  /** 429s in a row: Bitbucket sends no Retry-After, so the pause grows while they continue. */
  private final java.util.concurrent.atomic.AtomicInteger consecutive429 = new java.util.concurrent.atomic.AtomicInteger();

  BitbucketHttp(ObjectMapper json, RemoteCallExecutor calls, ApiOrigins origins, Optional<Secret> token,
      String apiBase, Duration rateLimitBackoff) {
    this.origins = origins;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .build();
    this.json = json;
    this.calls = calls;
    this.token = token;
    this.apiBase = apiBase;
    this.rateLimitBackoff = rateLimitBackoff;
  }

  String repoUrl(RepositoryRef repository) {
    return apiBase + "/repositories/" + repository.path();
  }

  JsonNode get(String operation, String url, RepositoryRef repository) {
    return calls.execute(operation, "core", url, () -> {
      Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json")
          .header("User-Agent", "git-collector");
      token.ifPresent(t -> request.header("Authorization", authorization(t)));
      try (Response response = http.newCall(request.build()).execute()) {
        int code = response.code();
        if (code == 200) {
          consecutive429.set(0);
          JsonNode body;
          try (InputStream in = response.body().byteStream()) {
            body = json.readTree(in);
          }
          String next = body.path("next").asText(null);
          if (next != null && !origins.allows(next)) {
            // the body's next-page URL names another origin: never followed with the token, never stored
            return CallResult.permanentFailure(origins.refusal(next, "Bitbucket's next-page link of " + operation));
          }
          return CallResult.success(body, Optional.empty());
        }
        String message = errorMessage(response);
        if (code == 429) {
          Optional<Duration> retryAfter = Optional.ofNullable(response.header("Retry-After"))
              .flatMap(BitbucketHttp::seconds).or(() -> Optional.of(backoff(consecutive429.getAndIncrement())));
          return new CallResult.RateLimited<>(retryAfter, Optional.empty(), true, "429 " + message);
        }
        if (code >= 500) {
          return CallResult.transientFailure("HTTP " + code + " " + message, Optional.empty());
        }
        return CallResult.permanentFailure(failure(operation, code, message, repository));
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

  private CollectorException failure(String operation, int code, String message, RepositoryRef repository) {
    return switch (code) {
      case 401 -> new InvalidCredentialsException("Bitbucket refused the configured token (401 " + message
          + "); check BITBUCKET_TOKEN");
      case 403 -> new PermissionDeniedException("Bitbucket denied " + operation + " on " + repository + " (403 "
          + message + ")");
      case 404 -> token.isEmpty()
          ? new MissingCredentialsException("Bitbucket repository " + repository.path() + " was not found (" + message
              + "); if it is private, set BITBUCKET_TOKEN")
          : new RepositoryNotFoundException("Bitbucket repository " + repository.path() + " was not found, or the"
              + " configured token cannot see it (" + message + ")");
      default -> new ProtocolException("Bitbucket answered " + operation + " on " + repository + " with HTTP " + code
          + " " + message);
    };
  }

  private String errorMessage(Response response) throws IOException {
    String text = response.body().string();
    try {
      JsonNode node = json.readTree(text);
      return node.path("error").path("message").asText(text.length() > 200 ? text.substring(0, 200) : text);
    } catch (IOException | RuntimeException e) {
      return response.message();
    }
  }

  private static String authorization(Secret token) {
    String value = token.reveal();
    if (value.contains(":")) {
      return "Basic " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
    return "Bearer " + value;
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
