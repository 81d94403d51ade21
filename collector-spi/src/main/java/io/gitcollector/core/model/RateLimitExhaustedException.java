package io.gitcollector.core.model;

/** The rate-limit budget would not come back within the configured maximum wait. */
public final class RateLimitExhaustedException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public RateLimitExhaustedException(String message) {
    super(ErrorCode.RATE_LIMITED, message);
  }

  public RateLimitExhaustedException(String message, Throwable cause) {
    super(ErrorCode.RATE_LIMITED, message, cause);
  }
}
