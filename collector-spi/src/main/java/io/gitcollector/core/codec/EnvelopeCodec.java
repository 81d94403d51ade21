package io.gitcollector.core.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON form of an envelope, shared by every sink: snake_case keys, ISO-8601 UTC times, absent values as
 * {@code null}. Keeping it in one place is what lets a consumer read Kafka, JSON lines or a database the same way.
 */
public final class EnvelopeCodec {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();
  private static final ObjectWriter WRITER = MAPPER.writerFor(Envelope.class);

  private EnvelopeCodec() {}

  /** The configured mapper, for sinks that embed envelopes in larger documents. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toJsonBytes(Envelope envelope) {
    try {
      return WRITER.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("an envelope could not be written as JSON", e);
    }
  }

  public static String toJson(Envelope envelope) {
    try {
      return WRITER.writeValueAsString(envelope);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("an envelope could not be written as JSON", e);
    }
  }

  /** Reads an envelope back, choosing the entity type by {@code event_type}. */
  public static Envelope fromJson(byte[] json) {
    try {
      JsonNode tree = MAPPER.readTree(json);
      String eventType = text(tree, "event_type");
      Class<? extends Entity> type = EntityKind.byEventType(eventType).map(EntityKind::type)
          .orElseThrow(() -> new ProtocolException("unknown event_type '" + eventType + "'"));
      Entity data = MAPPER.treeToValue(tree.get("data"), type);
      return new Envelope(
          text(tree, "event_id"),
          eventType,
          tree.path("schema_version").asInt(),
          Instant.parse(text(tree, "timestamp")),
          text(tree, "source"),
          text(tree, "repository_id"),
          data);
    } catch (IOException e) {
      throw new ProtocolException("not an envelope: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode tree, String field) {
    JsonNode node = tree.get(field);
    if (node == null || !node.isTextual()) {
      throw new ProtocolException("envelope field '" + field + "' is missing");
    }
    return node.asText();
  }
}
