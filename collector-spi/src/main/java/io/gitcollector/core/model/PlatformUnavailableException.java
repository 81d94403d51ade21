package io.gitcollector.core.model;

/** The platform kept failing after retries, or its circuit breaker is open. */
public final class PlatformUnavailableException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public PlatformUnavailableException(String message) {
    super(ErrorCode.PLATFORM_UNAVAILABLE, message);
  }

  public PlatformUnavailableException(String message, Throwable cause) {
    super(ErrorCode.PLATFORM_UNAVAILABLE, message, cause);
  }
}
