package io.gitcollector.core.spi.toolkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.ProtocolException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reading a platform's JSON into the model: optional fields as {@link Optional}, ISO-8601 times as instants, and
 * fields the model cannot do without as a {@link ProtocolException} naming the platform and the field (an answer the
 * platform should never give, not a bug of ours).
 */
public final class JsonFields {
  private final String platform;

  /** {@code platform} as error messages name it: {@code "GitHub"}. */
  public JsonFields(String platform) {
    this.platform = Objects.requireNonNull(platform, "platform");
  }

  /** The field's text; empty when it is missing or JSON null. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() ? Optional.empty() : Optional.of(value.asText());
  }

  /** The field's text when it is there and not blank. */
  public static Optional<String> nonBlank(JsonNode node, String field) {
    return text(node, field).filter(value -> !value.isBlank());
  }

  /** An ISO-8601 time with an offset ({@code 2025-10-01T12:00:00Z}, {@code 2025-10-01T14:00:00+02:00}). */
  public Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ProtocolException(platform + " sent an unreadable timestamp '" + text + "'", e);
    }
  }

  /** The field as a time; empty when it is missing or JSON null. */
  public Optional<Instant> instant(JsonNode node, String field) {
    return text(node, field).map(this::instant);
  }

  /** The field, which must be there and not JSON null. */
  public JsonNode required(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isNull() || value.isMissingNode()) {
      throw new ProtocolException(platform + " response lacks the field '" + field + "'");
    }
    return value;
  }

  /** A required time field. */
  public Instant requiredInstant(JsonNode node, String field) {
    return instant(required(node, field).asText());
  }
}
