package io.gitcollector.core.model;

/** Another sync of the same repository is running. */
public final class SyncInProgressException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public SyncInProgressException(String message) {
    super(ErrorCode.SYNC_IN_PROGRESS, message);
  }

  public SyncInProgressException(String message, Throwable cause) {
    super(ErrorCode.SYNC_IN_PROGRESS, message, cause);
  }
}
