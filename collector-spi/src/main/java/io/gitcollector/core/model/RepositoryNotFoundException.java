package io.gitcollector.core.model;

/** The platform says the repository does not exist (or the token cannot see it). */
public final class RepositoryNotFoundException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public RepositoryNotFoundException(String message) {
    super(ErrorCode.REPOSITORY_NOT_FOUND, message);
  }

  public RepositoryNotFoundException(String message, Throwable cause) {
    super(ErrorCode.REPOSITORY_NOT_FOUND, message, cause);
  }
}
