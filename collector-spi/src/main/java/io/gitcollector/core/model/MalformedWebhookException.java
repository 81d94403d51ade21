package io.gitcollector.core.model;

/**
 * A webhook delivery whose signature or token is right but whose content cannot be read: a body that is not one JSON
 * object, a header it needs missing, a number out of range. The sender is authentic and the request is bad (HTTP 400),
 * unlike an {@link InvalidWebhookException}, which means the sender is not who it claims (401).
 */
public final class MalformedWebhookException extends CollectorException {
  private static final long serialVersionUID = 1L;

  public MalformedWebhookException(String message) {
    super(ErrorCode.PROTOCOL_ERROR, message);
  }

  public MalformedWebhookException(String message, Throwable cause) {
    super(ErrorCode.PROTOCOL_ERROR, message, cause);
  }
}
