package io.gitcollector.core.model;

/** No platform provider on the classpath accepts the repository URL or platform id. */
public final class UnknownPlatformException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public UnknownPlatformException(String message) {
    super(ErrorCode.UNKNOWN_PLATFORM, message);
  }

  public UnknownPlatformException(String message, Throwable cause) {
    super(ErrorCode.UNKNOWN_PLATFORM, message, cause);
  }
}
