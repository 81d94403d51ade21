package io.gitcollector.core.model;

/** A configuration value is missing or malformed. */
public final class InvalidConfigurationException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigurationException(String message) {
    super(ErrorCode.INVALID_CONFIGURATION, message);
  }

  public InvalidConfigurationException(String message, Throwable cause) {
    super(ErrorCode.INVALID_CONFIGURATION, message, cause);
  }
}
