package io.gitcollector.core.model;

/** A sync stopped between two pages because the collector is shutting down; every delivered page kept its cursor. */
public final class SyncCancelledException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public SyncCancelledException(String message) {
    super(ErrorCode.CANCELLED, message);
  }
}
