package io.gitcollector.core.model;

/** The platform refused the configured token (expired, revoked or malformed). */
public final class InvalidCredentialsException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public InvalidCredentialsException(String message) {
    super(ErrorCode.INVALID_CREDENTIALS, message);
  }

  public InvalidCredentialsException(String message, Throwable cause) {
    super(ErrorCode.INVALID_CREDENTIALS, message, cause);
  }
}
