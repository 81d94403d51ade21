package io.gitcollector.core.model;

/** The repository is private or hidden and no token was configured for its platform. */
public final class MissingCredentialsException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public MissingCredentialsException(String message) {
    super(ErrorCode.MISSING_CREDENTIALS, message);
  }

  public MissingCredentialsException(String message, Throwable cause) {
    super(ErrorCode.MISSING_CREDENTIALS, message, cause);
  }
}
