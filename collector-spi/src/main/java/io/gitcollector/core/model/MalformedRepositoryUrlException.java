package io.gitcollector.core.model;

/** The text given as a repository URL cannot be read as one. */
public final class MalformedRepositoryUrlException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public MalformedRepositoryUrlException(String url, String reason) {
    this("repository", url, reason);
  }

  /** The text given as the URL of {@code what} (a repository, an organization) cannot be read as one. */
  public MalformedRepositoryUrlException(String what, String url, String reason) {
    super(ErrorCode.MALFORMED_URL, "malformed " + what + " URL '" + url + "': " + reason);
  }
}
