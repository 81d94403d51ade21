package io.gitcollector.core.model;

/** The token is valid but lacks the permission the request needs. */
public final class PermissionDeniedException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(ErrorCode.PERMISSION_DENIED, message);
  }

  public PermissionDeniedException(String message, Throwable cause) {
    super(ErrorCode.PERMISSION_DENIED, message, cause);
  }
}
