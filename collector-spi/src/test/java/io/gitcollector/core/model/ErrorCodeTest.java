package io.gitcollector.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void aPluginNamesCodesOfItsOwnAndTheyCompareByName() {
    ErrorCode quota = ErrorCode.of("GITEA_QUOTA_EXCEEDED");
    CollectorException error = new CollectorException(quota, "the Gitea quota of the token is spent");
    assertEquals(ErrorCode.of("GITEA_QUOTA_EXCEEDED"), error.code());
    assertNotEquals(ErrorCode.RATE_LIMITED, error.code());
    assertEquals(ErrorCode.SINK_FAILED, ErrorCode.of("SINK_FAILED"));
    assertEquals("SINK_FAILED", new SinkException("x").code().toString());
  }

  @Test
  void aCodeIsAnUpperCaseName() {
    assertThrows(IllegalArgumentException.class, () -> ErrorCode.of("quota exceeded"));
    assertThrows(IllegalArgumentException.class, () -> ErrorCode.of(""));
  }
}
