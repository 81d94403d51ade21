package io.gitcollector.testkit.envelopes;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.gitcollector.core.model.EntityKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates envelopes against the JSON Schema of their kind ({@link EntityKind#schemaResource()}): each kind's schema
 * refers to the shared frame and definitions ({@code envelope.schema.json}) by {@code $ref}, resolved on the class
 * path, so a plugin's kind is validated like the collector's own once its schema ships beside the others.
 */
public final class EnvelopeSchemas {
  private static final String SCHEMA_BASE = "https://gitcollector.io/schemas/";
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
      builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_BASE, "classpath:io/gitcollector/schemas/")));
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private static final Map<EntityKind, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private EnvelopeSchemas() {}

  /** The event types of every declared kind. */
  public static List<String> eventTypes() {
    return EntityKind.all().stream().map(EntityKind::eventType).toList();
  }

  /** The violations of one envelope, empty if it is valid. */
  public static List<String> violations(JsonNode envelope) {
    String eventType = envelope.path("event_type").asText();
    Optional<EntityKind> kind = EntityKind.byEventType(eventType);
    if (kind.isEmpty()) {
      return List.of("unknown event_type '" + eventType + "'");
    }
    Set<ValidationMessage> messages = SCHEMAS.computeIfAbsent(kind.get(), EnvelopeSchemas::load).validate(envelope);
    return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
  }

  private static JsonSchema load(EntityKind kind) {
    String resource = kind.schemaResource();
    if (EnvelopeSchemas.class.getResource(resource) == null) {
      throw new IllegalStateException("missing schema " + resource + " of " + kind.name());
    }
    return FACTORY.getSchema(SchemaLocation.of(SCHEMA_BASE + resource.substring(resource.lastIndexOf('/') + 1)),
        CONFIG);
  }
}
