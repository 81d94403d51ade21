package io.gitcollector.core.spi;

import io.gitcollector.core.model.InvalidWebhookException;
import io.gitcollector.core.model.MalformedWebhookException;
import java.util.Optional;

/**
 * Verifies a platform's webhook delivery (signature or token, compared in constant time) and reads it. It needs no
 * platform client: a server verifies deliveries without opening connections to the platform.
 */
@FunctionalInterface
public interface WebhookReader {

  /**
   * @throws InvalidWebhookException if no secret is configured, or the signature or token is missing or wrong
   * @throws MalformedWebhookException if an authentic delivery cannot be read
   */
  WebhookEvent read(WebhookDelivery delivery, Optional<Secret> secret);
}
