package io.gitcollector.core.model;

import java.util.Objects;

/**
 * Base of every failure the collector reports. Messages are written for the person who has to act on them and never
 * contain credentials.
 */
public class CollectorException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public CollectorException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public CollectorException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
