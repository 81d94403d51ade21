package io.gitcollector.gitlab.internal;

import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.InvalidCredentialsException;
import io.gitcollector.core.model.MissingCredentialsException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.ProtocolException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.RateLimitStatus;
import io.gitcollector.core.spi.RemoteCallExecutor;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitlab4j.api.AbstractApi;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;

/**
 * gitlab4j's client, models and JSON mapping, one page per request under the engine's control: every request goes
 * through the {@link RemoteCallExecutor} (rate-limit governor, retry, circuit breaker, metrics), the adapter follows
 * {@code X-Next-Page} and {@code Link: rel="next"} itself and never relies on totals (GitLab omits them above 10,000
 * records), and the {@code RateLimit-*} headers feed the governor. gitlab4j's own pagers are not used: they read
 * pages on their own, outside the governor.
 */
final class GovernedGitLab extends AbstractApi {
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  private final RemoteCallExecutor calls;
  private final boolean hasToken;
  private final Duration rateLimitBackoff;

  GovernedGitLab(GitLabApi api, RemoteCallExecutor calls, boolean hasToken, Duration rateLimitBackoff) {
    super(api);
    this.calls = calls;
    this.hasToken = hasToken;
    this.rateLimitBackoff = rateLimitBackoff;
  }

  /** A page of a resource, and where the next one is. */
  record Fetched<T>(T value, Optional<String> next) {}

  <T> Fetched<T> get(String operation, GenericType<T> type, RepositoryRef repository, Map<String, String> query,
      Object... path) {
    MultivaluedMap<String, String> params = new MultivaluedHashMap<>();
    query.forEach(params::add);
    return call(operation, type, repository, () -> get(Response.Status.OK, params, path));
  }

  /** Follows a next-page URL as GitLab gave it (keyset pagination puts the cursor there). */
  <T> Fetched<T> follow(String operation, GenericType<T> type, RepositoryRef repository, String url) {
    URL target;
    try {
      target = URI.create(url).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new ProtocolException("GitLab sent an unreadable next-page link '" + url + "'", e);
    }
    return call(operation, type, repository, () -> get(Response.Status.OK, null, target));
  }

  private interface Request {
    Response send() throws GitLabApiException;
  }

  private <T> Fetched<T> call(String operation, GenericType<T> type, RepositoryRef repository, Request request) {
    return calls.execute(operation, "core", () -> {
      Response response;
      try {
        response = request.send();
      } catch (GitLabApiException e) {
        return classify(operation, e, repository);
      }
      try {
        Optional<RateLimitStatus> rateLimit = rateLimit(response);
        T value = response.readEntity(type);
        return CallResult.success(new Fetched<>(value, next(response)), rateLimit);
      } catch (RuntimeException e) {
        // a body cut short or unreadable: worth another attempt
        return CallResult.transientFailure("unreadable GitLab response to " + operation + ": " + e.getMessage(),
            Optional.empty());
      } finally {
        response.close();
      }
    });
  }

  private <T> CallResult<T> classify(String operation, GitLabApiException e, RepositoryRef repository) {
    int status = e.getHttpStatus();
    if (status == 0 || status >= 500) {
      return CallResult.transientFailure(status == 0 ? "GitLab unreachable: " + e.getMessage()
          : "HTTP " + status + " " + e.getMessage(), Optional.empty());
    }
    if (status == 429) {
      return new CallResult.RateLimited<>(Optional.of(rateLimitBackoff), Optional.empty(), true,
          "429 " + e.getMessage());
    }
    CollectorException error = switch (status) {
      case 401 -> new InvalidCredentialsException("GitLab refused the configured token (401); check GITLAB_TOKEN");
      case 403 -> new PermissionDeniedException("GitLab denied " + operation + " on " + repository + " (403 "
          + e.getMessage() + ")");
      case 404 -> hasToken
          ? new RepositoryNotFoundException("GitLab project " + repository.path() + " was not found, or the"
              + " configured token cannot see it")
          : new MissingCredentialsException("GitLab project " + repository.path() + " was not found; if it is"
              + " private, set GITLAB_TOKEN");
      default -> new ProtocolException("GitLab answered " + operation + " on " + repository + " with HTTP " + status
          + " " + e.getMessage());
    };
    return CallResult.permanentFailure(error);
  }

  /** {@code X-Next-Page} (offset pagination) or {@code Link: rel="next"} (keyset pagination), whichever is there. */
  private static Optional<String> next(Response response) {
    String link = response.getHeaderString("Link");
    if (link != null) {
      Matcher matcher = NEXT_LINK.matcher(link);
      if (matcher.find()) {
        return Optional.of(matcher.group(1));
      }
    }
    String nextPage = response.getHeaderString("X-Next-Page");
    return nextPage == null || nextPage.isBlank() ? Optional.empty() : Optional.of("page:" + nextPage.trim());
  }

  private static Optional<RateLimitStatus> rateLimit(Response response) {
    String remaining = response.getHeaderString("RateLimit-Remaining");
    String reset = response.getHeaderString("RateLimit-Reset");
    if (remaining == null || reset == null) {
      return Optional.empty();
    }
    try {
      String limit = response.getHeaderString("RateLimit-Limit");
      return Optional.of(new RateLimitStatus("core", limit == null ? -1 : Long.parseLong(limit.trim()),
          Long.parseLong(remaining.trim()), Instant.ofEpochSecond(Long.parseLong(reset.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
