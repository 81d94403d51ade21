package io.gitcollector.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.model.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's exit codes: one per collector error code, as the README lists them; 1 for a plugin's own. */
class ExitCodesTest {

  @Test
  void everyCollectorCodeHasItsOwnExitCodeAndAPluginsCodeIsOne() {
    List<ErrorCode> codes = List.of(ErrorCode.MALFORMED_URL, ErrorCode.UNKNOWN_PLATFORM, ErrorCode.DUPLICATE_PROVIDER,
        ErrorCode.MISSING_CREDENTIALS, ErrorCode.INVALID_CREDENTIALS, ErrorCode.REPOSITORY_NOT_FOUND,
        ErrorCode.PERMISSION_DENIED, ErrorCode.RATE_LIMITED, ErrorCode.PLATFORM_UNAVAILABLE, ErrorCode.SINK_FAILED,
        ErrorCode.STATE_STORE_FAILED, ErrorCode.SYNC_IN_PROGRESS, ErrorCode.INVALID_WEBHOOK,
        ErrorCode.INVALID_CONFIGURATION, ErrorCode.PROTOCOL_ERROR, ErrorCode.CANCELLED);
    for (int i = 0; i < codes.size(); i++) {
      assertEquals(i + 2, Main.exitCode(codes.get(i)), codes.get(i).name());
    }
    assertEquals(Main.OTHER_FAILURE, Main.exitCode(ErrorCode.of("GITEA_QUOTA_EXCEEDED")));
    assertEquals(1, Main.OTHER_FAILURE);
  }
}
