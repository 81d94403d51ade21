package io.gitcollector.core.model;

/** The sink did not acknowledge envelopes; no cursor moved past them. */
public final class SinkException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public SinkException(String message) {
    super(ErrorCode.SINK_FAILED, message);
  }

  public SinkException(String message, Throwable cause) {
    super(ErrorCode.SINK_FAILED, message, cause);
  }
}
