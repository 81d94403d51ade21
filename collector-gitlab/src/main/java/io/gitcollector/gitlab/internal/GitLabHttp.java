package io.gitcollector.gitlab.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.RemoteCallExecutor;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.Listing;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.glassfish.jersey.client.ClientProperties;

/**
 * GitLab's REST API v4, one page per request under the engine's control: every request goes through the {@link
 * RemoteCallExecutor} (rate-limit governor, retry, circuit breaker, metrics), the adapter follows {@code X-Next-Page}
 * and {@code Link: rel="next"} itself and never relies on totals (GitLab omits them above 10,000 records), and the
 * {@code RateLimit-*} headers feed the governor. gitlab4j's pagers are not used: they read pages on their own,
 * outside the governor.
 *
 * <p>Requests go through one Jersey client (the HTTP stack gitlab4j brings) configured once, and GitLab's error bodies
 * are read by gitlab4j's {@link GitLabApiException}. gitlab4j's own request methods are not used: in 6.2.0 they set a
 * property on every request's target, which makes Jersey build a new client runtime (injection manager, providers)
 * for each request, about 10 ms of CPU each (measured with the GitLab benchmark; fixed upstream on the 5.x line by
 * gitlab4j pull request 1312).
 */
final class GitLabHttp implements AutoCloseable {
  private static final String PRIVATE_TOKEN = "PRIVATE-TOKEN";

  private final Client http;
  private final String apiRoot;
  private final ApiAccess access;
  private final Duration rateLimitBackoff;
  private final ObjectMapper json = new ObjectMapper();

  GitLabHttp(String serverUrl, ApiAccess access, Duration rateLimitBackoff) {
    this.access = access;
    String server = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    this.apiRoot = server + GitLabApi.ApiVersion.V4.getApiNamespace();
    this.rateLimitBackoff = rateLimitBackoff;
    // every property is set here, once: a property set later on a target would rebuild Jersey's runtime per request
    this.http = ClientBuilder.newBuilder()
        // redirects are followed here, so that PRIVATE-TOKEN goes only to the API origin (HttpURLConnection would
        // send it to wherever a redirect points)
        .property(ClientProperties.FOLLOW_REDIRECTS, false)
        .property(ClientProperties.CONNECT_TIMEOUT, 10_000)
        .property(ClientProperties.READ_TIMEOUT, 60_000)
        .build();
  }

  /** A page of a resource, and where the next one is. */
  record Fetched<T>(T value, Optional<String> next) {
    /** A list's page as a {@link Listing}: the array's elements and the next page's token. */
    Listing<JsonNode> listing() {
      List<JsonNode> items = new ArrayList<>();
      ((JsonNode) value).forEach(items::add);
      return new Listing<>(items, next);
    }
  }

  /**
   * A page by token: {@code page:N} is offset pagination of the query ({@code X-Next-Page}), anything else a URL
   * GitLab gave ({@code Link: rel="next"}, keyset pagination).
   */
  Fetched<JsonNode> page(String operation, RepositoryRef repository, String token, Map<String, String> query,
      Object... path) {
    if (token.startsWith("page:")) {
      Map<String, String> withPage = new LinkedHashMap<>(query);
      withPage.put("page", token.substring("page:".length()));
      return get(operation, repository, withPage, path);
    }
    return follow(operation, repository, token);
  }

  /** Every element of a list, page after page to the end. */
  List<JsonNode> all(String operation, RepositoryRef repository, Map<String, String> query, Object... path) {
    List<JsonNode> items = new ArrayList<>();
    Optional<String> next = Optional.of("page:1");
    while (next.isPresent()) {
      Listing<JsonNode> page = page(operation, repository, next.get(), query, path).listing();
      items.addAll(page.items());
      next = page.next();
    }
    return items;
  }

  /** {@code GET /api/v4/<path...>?<query>}; path segments are used as given (callers encode project paths). */
  Fetched<JsonNode> get(String operation, RepositoryRef repository, Map<String, String> query, Object... path) {
    StringBuilder url = new StringBuilder(apiRoot);
    for (Object segment : path) {
      url.append('/').append(segment);
    }
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      url.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    return call(operation, repository, URI.create(url.toString()));
  }

  /** Follows a next-page URL as GitLab gave it (keyset pagination puts the cursor there). */
  Fetched<JsonNode> follow(String operation, RepositoryRef repository, String url) {
    URI target;
    try {
      target = URI.create(url);
      if (!target.isAbsolute() || target.getHost() == null) {
        throw new IllegalArgumentException("not an absolute URL");
      }
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("GitLab sent an unreadable next-page link '" + url + "'", e);
    }
    return call(operation, repository, target);
  }

  private Fetched<JsonNode> call(String operation, RepositoryRef repository, URI url) {
    return access.calls().execute(operation, "core", url.toString(), () -> {
      Response response;
      try {
        response = getFollowingRedirects(url);
      } catch (ProcessingException e) {
        return CallResult.transientFailure("GitLab unreachable: " + rootMessage(e), Optional.empty());
      }
      try {
        if (response.getStatus() != Response.Status.OK.getStatusCode()) {
          return classify(operation, new GitLabApiException(response), repository, response);
        }
        Optional<RateLimitStatus> rateLimit = rateLimit(response);
        JsonNode value = json.readTree(response.readEntity(byte[].class));
        Optional<String> next = next(response);
        Optional<CallResult<Fetched<JsonNode>>> foreign =
            access.refuseForeign(next.filter(link -> !link.startsWith("page:")), operation);
        return foreign.orElseGet(() -> CallResult.success(new Fetched<>(value, next), rateLimit));
      } catch (IOException | RuntimeException e) {
        // a body cut short or unreadable: worth another attempt
        return CallResult.transientFailure("unreadable GitLab response to " + operation + ": " + e.getMessage(),
            Optional.empty());
      } finally {
        response.close();
      }
    });
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  @Override
  public void close() {
    http.close();
  }

  private <T> CallResult<T> classify(String operation, GitLabApiException e, RepositoryRef repository,
      Response response) {
    Optional<Duration> retryAfter = e.getHttpStatus() != 429 ? Optional.empty()
        : PlatformResponses.retryAfter(response.getHeaderString("Retry-After"))
            .or(() -> Optional.of(rateLimitBackoff));
    return access.responses().failure(e.getHttpStatus(), e.getMessage(), operation, repository, Optional.empty(),
        retryAfter);
  }

  /**
   * GET with redirects followed by hand (at most five): the token goes along only while every hop stays on the API's
   * origin; once a redirect leaves it, the rest is fetched without the token.
   */
  private Response getFollowingRedirects(URI url) {
    URI current = url;
    boolean withToken = access.origins().allows(current.toString());
    for (int hop = 0; ; hop++) {
      Invocation.Builder request = http.target(current).request(MediaType.APPLICATION_JSON_TYPE);
      if (withToken && access.token().isPresent()) {
        request.header(PRIVATE_TOKEN, access.token().get().reveal());
      }
      Response response = request.get();
      int status = response.getStatus();
      String location = response.getHeaderString("Location");
      if (hop >= 5 || location == null || !(status == 301 || status == 302 || status == 303 || status == 307
          || status == 308)) {
        return response;
      }
      response.close();
      current = current.resolve(location);
      withToken = withToken && access.origins().allows(current.toString());
    }
  }

  /** {@code X-Next-Page} (offset pagination) or {@code Link: rel="next"} (keyset pagination), whichever is there. */
  private static Optional<String> next(Response response) {
    return PlatformResponses.nextLink(response.getHeaderString("Link")).or(() -> {
      String nextPage = response.getHeaderString("X-Next-Page");
      return nextPage == null || nextPage.isBlank() ? Optional.empty() : Optional.of("page:" + nextPage.trim());
    });
  }

  private static Optional<RateLimitStatus> rateLimit(Response response) {
    return PlatformResponses.rateLimit("core", response.getHeaderString("RateLimit-Limit"),
        response.getHeaderString("RateLimit-Remaining"), response.getHeaderString("RateLimit-Reset"));
  }
}
