package io.gitcollector.core.model;

/** The state store could not read or durably write state. */
public final class StateStoreException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public StateStoreException(String message) {
    super(ErrorCode.STATE_STORE_FAILED, message);
  }

  public StateStoreException(String message, Throwable cause) {
    super(ErrorCode.STATE_STORE_FAILED, message, cause);
  }
}
