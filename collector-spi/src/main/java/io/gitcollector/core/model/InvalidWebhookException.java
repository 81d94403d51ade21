package io.gitcollector.core.model;

/** A webhook delivery failed verification or could not be read. */
public final class InvalidWebhookException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public InvalidWebhookException(String message) {
    super(ErrorCode.INVALID_WEBHOOK, message);
  }

  public InvalidWebhookException(String message, Throwable cause) {
    super(ErrorCode.INVALID_WEBHOOK, message, cause);
  }
}
