package io.gitcollector.core.spi;

import java.util.Objects;

/**
 * How a platform's webhook deliveries are received: the request header that authenticates them (a server refuses a
 * delivery without it before reading its body) and the reader that verifies and reads them.
 */
public record WebhookSupport(String authenticationHeader, WebhookReader reader) {
  public WebhookSupport {
    Objects.requireNonNull(authenticationHeader, "authenticationHeader");
    Objects.requireNonNull(reader, "reader");
  }
}
