package io.gitcollector.testkit.github;

/** A failure the simulator injects into the next matching request. */
public enum Fault {
  /** 500 Internal Server Error. */
  SERVER_ERROR,
  /** 502 Bad Gateway, as GitHub answers a GraphQL query that ran too long. */
  BAD_GATEWAY,
  /** A 200 whose body stops halfway: the connection closes before Content-Length bytes. */
  TRUNCATED_BODY,
  /** 403 with {@code Retry-After}: a secondary (abuse) rate limit. */
  SECONDARY_RATE_LIMIT,
  /** 429 Too Many Requests with no header saying how long to wait, as Bitbucket and GitLab can answer. */
  TOO_MANY_REQUESTS,
  /** The connection closed before any response: the client sees the stream end where a status line should be. */
  CONNECTION_CLOSED,
  /** A 200 whose whole body is not JSON (a proxy's error page, a corrupted cache). */
  MALFORMED_JSON,
  /** An answer that starts only after {@link #SLOW_RESPONSE_DELAY}, longer than a short client read timeout. */
  SLOW_RESPONSE;

  /** How long {@link #SLOW_RESPONSE} holds the answer back. */
  public static final java.time.Duration SLOW_RESPONSE_DELAY = java.time.Duration.ofSeconds(3);
}
