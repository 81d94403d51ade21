package io.gitcollector.core.model;

/** Two providers on the classpath claim the same id. */
public final class DuplicateProviderException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public DuplicateProviderException(String message) {
    super(ErrorCode.DUPLICATE_PROVIDER, message);
  }

  public DuplicateProviderException(String message, Throwable cause) {
    super(ErrorCode.DUPLICATE_PROVIDER, message, cause);
  }
}
