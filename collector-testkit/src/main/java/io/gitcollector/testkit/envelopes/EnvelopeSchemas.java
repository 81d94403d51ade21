package io.gitcollector.testkit.envelopes;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Validates envelopes against the JSON Schemas that ship in collector-core ({@code io/gitcollector/schemas}). */
public final class EnvelopeSchemas {
  public static final List<String> EVENT_TYPES =
      List.of("repository_updated", "commit_created", "pull_request_updated", "contributor_updated");

  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private EnvelopeSchemas() {}

  /** The violations of one envelope, empty if it is valid. */
  public static List<String> violations(JsonNode envelope) {
    String eventType = envelope.path("event_type").asText();
    if (!EVENT_TYPES.contains(eventType)) {
      return List.of("unknown event_type '" + eventType + "'");
    }
    Set<ValidationMessage> messages = SCHEMAS.computeIfAbsent(eventType, EnvelopeSchemas::load).validate(envelope);
    return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
  }

  private static JsonSchema load(String eventType) {
    String resource = "/io/gitcollector/schemas/" + eventType + ".schema.json";
    try (InputStream in = EnvelopeSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema " + resource);
      }
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
