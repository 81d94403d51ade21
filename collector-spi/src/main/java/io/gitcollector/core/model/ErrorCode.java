package io.gitcollector.core.model;

/**
 * What went wrong, in a form that programs can switch on. Each code has its own process exit code so that scripts
 * driving the command line can tell failures apart.
 */
public enum ErrorCode {
  MALFORMED_URL(2),
  UNKNOWN_PLATFORM(3),
  DUPLICATE_PROVIDER(4),
  MISSING_CREDENTIALS(5),
  INVALID_CREDENTIALS(6),
  REPOSITORY_NOT_FOUND(7),
  PERMISSION_DENIED(8),
  RATE_LIMITED(9),
  PLATFORM_UNAVAILABLE(10),
  SINK_FAILED(11),
  STATE_STORE_FAILED(12),
  SYNC_IN_PROGRESS(13),
  INVALID_WEBHOOK(14),
  INVALID_CONFIGURATION(15),
  PROTOCOL_ERROR(16),
  CANCELLED(17);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
