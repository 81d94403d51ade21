package io.gitcollector.core.model;

/** The platform answered with something the adapter could not understand. */
public final class ProtocolException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(ErrorCode.PROTOCOL_ERROR, message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(ErrorCode.PROTOCOL_ERROR, message, cause);
  }
}
