package io.gitcollector.core.model;

import java.util.Objects;

/**
 * What went wrong, in a form that programs can switch on ({@link #name()}). The collector's own codes are the
 * constants below; a plugin adds its own with {@link #of(String)} ({@code ErrorCode.of("GITEA_QUOTA_EXCEEDED")}). What
 * a code means to a process (its exit code) is decided where the process is: the command line maps them.
 */
public record ErrorCode(String name) {
  public static final ErrorCode MALFORMED_URL = new ErrorCode("MALFORMED_URL");
  public static final ErrorCode UNKNOWN_PLATFORM = new ErrorCode("UNKNOWN_PLATFORM");
  public static final ErrorCode DUPLICATE_PROVIDER = new ErrorCode("DUPLICATE_PROVIDER");
  public static final ErrorCode MISSING_CREDENTIALS = new ErrorCode("MISSING_CREDENTIALS");
  public static final ErrorCode INVALID_CREDENTIALS = new ErrorCode("INVALID_CREDENTIALS");
  public static final ErrorCode REPOSITORY_NOT_FOUND = new ErrorCode("REPOSITORY_NOT_FOUND");
  public static final ErrorCode PERMISSION_DENIED = new ErrorCode("PERMISSION_DENIED");
  public static final ErrorCode RATE_LIMITED = new ErrorCode("RATE_LIMITED");
  public static final ErrorCode PLATFORM_UNAVAILABLE = new ErrorCode("PLATFORM_UNAVAILABLE");
  public static final ErrorCode SINK_FAILED = new ErrorCode("SINK_FAILED");
  public static final ErrorCode STATE_STORE_FAILED = new ErrorCode("STATE_STORE_FAILED");
  public static final ErrorCode SYNC_IN_PROGRESS = new ErrorCode("SYNC_IN_PROGRESS");
  public static final ErrorCode INVALID_WEBHOOK = new ErrorCode("INVALID_WEBHOOK");
  public static final ErrorCode INVALID_CONFIGURATION = new ErrorCode("INVALID_CONFIGURATION");
  public static final ErrorCode PROTOCOL_ERROR = new ErrorCode("PROTOCOL_ERROR");
  public static final ErrorCode CANCELLED = new ErrorCode("CANCELLED");

  public ErrorCode {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Z][A-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException("an error code is upper case, digits and '_': '" + name + "'");
    }
  }

  /** A code of the collector's, or a plugin's own. */
  public static ErrorCode of(String name) {
    return new ErrorCode(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
