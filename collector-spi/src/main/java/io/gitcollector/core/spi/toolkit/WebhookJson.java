package io.gitcollector.core.spi.toolkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.gitcollector.core.model.MalformedWebhookException;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Reads the body of a verified webhook delivery strictly, the same way for every adapter: exactly one JSON object
 * (not empty, not an array, nothing after it, nested no deeper than Jackson's limit), and numbers that identify
 * something (a pull-request number) only when they are whole and in range. Anything else is a
 * {@link MalformedWebhookException}: the sender is authentic, its request is bad.
 */
public final class WebhookJson {
  private static final ObjectReader READER = new ObjectMapper().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private WebhookJson() {}

  /** The body as one JSON object. */
  public static JsonNode object(byte[] body, String what) {
    if (body.length == 0) {
      throw new MalformedWebhookException("the body of " + what + " is empty");
    }
    try {
      JsonNode node = READER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new MalformedWebhookException("the body of " + what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new MalformedWebhookException("the body of " + what + " is not readable JSON: "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * A positive whole number that fits a {@code long}, if the node holds one; empty if it is missing or null; a
   * {@link MalformedWebhookException} if it is there but is not such a number.
   */
  public static OptionalLong identifier(JsonNode node, String what) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return OptionalLong.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
      throw new MalformedWebhookException(what + " must be a positive whole number below 2^63, was "
          + abbreviated(node.toString()));
    }
    return OptionalLong.of(node.asLong());
  }

  private static String abbreviated(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
