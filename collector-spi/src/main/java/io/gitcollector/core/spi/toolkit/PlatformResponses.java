package io.gitcollector.core.spi.toolkit;

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
import io.gitcollector.core.spi.RateLimitStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a platform's HTTP answers mean, the same for every adapter whatever HTTP client it uses: the status codes that
 * are not a success turned into the {@link CallResult} the engine acts on (401 a bad token, 403 denied, 404 not found
 * or not visible without a token, 429 a rate limit, 5xx worth another attempt), and the headers every platform
 * shares the syntax of ({@code Retry-After}, {@code Link}, rate-limit counters).
 */
public final class PlatformResponses {
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String platform;
  private final String repositoryNoun;
  private final String tokenVariable;
  private final boolean hasToken;

  /**
   * @param platform the platform as messages name it ({@code "GitHub"})
   * @param repositoryNoun what it calls a repository ({@code "repository"}, GitLab's {@code "project"})
   * @param tokenVariable where its token is configured ({@code "GITHUB_TOKEN"}), named in 401 and 404 messages
   * @param hasToken whether requests carry a token (a 404 without one may be a private repository)
   */
  public PlatformResponses(String platform, String repositoryNoun, String tokenVariable, boolean hasToken) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.repositoryNoun = Objects.requireNonNull(repositoryNoun, "repositoryNoun");
    this.tokenVariable = Objects.requireNonNull(tokenVariable, "tokenVariable");
    this.hasToken = hasToken;
  }

  /**
   * The result of an answer that is not a success: 429 a rate limit (waiting {@code retryAfter} when the platform said
   * how long), 5xx a transient failure, 401, 403 and 404 the permanent failures users can act on, anything else a
   * protocol error. {@code message} is the platform's own explanation, from its error body.
   */
  public <T> CallResult<T> failure(int status, String message, String operation, RepositoryRef repository,
      Optional<RateLimitStatus> rateLimit, Optional<Duration> retryAfter) {
    if (status == 429) {
      return new CallResult.RateLimited<>(retryAfter, rateLimit, true, "429 " + message);
    }
    if (status >= 500) {
      return CallResult.transientFailure("HTTP " + status + " " + message, rateLimit);
    }
    return CallResult.permanentFailure(error(status, message, operation, repository));
  }

  /** The permanent failure a status other than 429 and 5xx stands for. */
  public CollectorException error(int status, String message, String operation, RepositoryRef repository) {
    return switch (status) {
      case 401 -> new InvalidCredentialsException(platform + " refused the configured token (401 " + message
          + "); check " + tokenVariable);
      case 403 -> new PermissionDeniedException(platform + " denied " + operation + " on " + repository + " (403 "
          + message + ")");
      case 404 -> notFound(repository, message);
      default -> new ProtocolException(platform + " answered " + operation + " on " + repository + " with HTTP "
          + status + " " + message);
    };
  }

  /** Not found: without a token it may be private, which the message says. */
  public CollectorException notFound(RepositoryRef repository, String message) {
    String what = platform + " " + repositoryNoun + " " + repository.path();
    if (!hasToken) {
      return new MissingCredentialsException(what + " was not found (" + message + "); if it is private, set "
          + tokenVariable + " to a token that can read it");
    }
    return new RepositoryNotFoundException(what + " was not found, or the configured token cannot see it ("
        + message + ")");
  }

  /**
   * A permanent failure when a next-page link names an origin the token must not go to: such a link is never followed
   * with the token, and never stored in a cursor.
   */
  public <T> Optional<CallResult<T>> refuseForeign(ApiOrigins origins, Optional<String> link, String operation) {
    if (link.isEmpty() || origins.allows(link.get())) {
      return Optional.empty();
    }
    return Optional.of(CallResult.permanentFailure(
        origins.refusal(link.get(), platform + "'s next-page link of " + operation)));
  }

  /**
   * The explanation in an error body: the text at {@code path} of its JSON ({@code "message"}, or
   * {@code "error", "message"}), else the body itself cut to 200 characters, else {@code fallback}.
   */
  public static String errorMessage(String body, String fallback, String... path) {
    if (body == null || body.isBlank()) {
      return fallback;
    }
    String shortBody = body.length() > 200 ? body.substring(0, 200) : body;
    try {
      JsonNode node = JSON.readTree(body);
      for (String field : path) {
        node = node.path(field);
      }
      return node.isValueNode() ? node.asText() : shortBody;
    } catch (IOException | RuntimeException e) {
      return shortBody;
    }
  }

  /** {@code Retry-After}: a number of seconds, or an HTTP date (RFC 9110); empty when absent or unreadable. */
  public static Optional<Duration> retryAfter(String header) {
    return retryAfter(header, Clock.systemUTC());
  }

  static Optional<Duration> retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /**
   * Rate-limit counters from their header values (GitHub's {@code x-ratelimit-*}, GitLab's {@code RateLimit-*}):
   * {@code reset} in epoch seconds; empty when {@code remaining} or {@code reset} is absent or unreadable. An absent
   * {@code limit} is -1.
   */
  public static Optional<RateLimitStatus> rateLimit(String resource, String limit, String remaining, String reset) {
    if (remaining == null || reset == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RateLimitStatus(resource, limit == null ? -1 : Long.parseLong(limit.trim()),
          Long.parseLong(remaining.trim()), Instant.ofEpochSecond(Long.parseLong(reset.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The {@code rel="next"} target of a {@code Link} header (RFC 8288), if it has one. */
  public static Optional<String> nextLink(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher matcher = NEXT_LINK.matcher(header);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /**
   * One entity fetched again (a webhook's refetch): empty when the platform answers 404, as it does for an entity that
   * was deleted. (A repository that is gone answers 404 too; its next sync says so.)
   */
  public static <T> java.util.Optional<T> ifFound(java.util.function.Supplier<T> fetch) {
    try {
      return java.util.Optional.of(fetch.get());
    } catch (RepositoryNotFoundException gone) {
      return java.util.Optional.empty();
    }
  }
}
