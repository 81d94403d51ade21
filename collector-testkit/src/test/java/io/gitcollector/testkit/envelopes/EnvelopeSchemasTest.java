package io.gitcollector.testkit.envelopes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.testkit.compat.SampleEnvelopes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind's schema holds only its data; the frame and shared definitions come from the envelope schema by $ref. */
class EnvelopeSchemasTest {
  private static final String REPOSITORY = "github:github.com/octocat/hello-world";

  private static ObjectNode json(Envelope envelope) {
    return (ObjectNode) EnvelopeCodec.mapper().valueToTree(envelope);
  }

  @Test
  void theCollectorsEnvelopesAreValid() {
    for (Envelope envelope : List.of(SampleEnvelopes.commit(REPOSITORY, 1), SampleEnvelopes.pullRequest(REPOSITORY, 2),
        SampleEnvelopes.repository(REPOSITORY))) {
      assertEquals(List.of(), EnvelopeSchemas.violations(json(envelope)), envelope.eventType());
    }
    assertTrue(EnvelopeSchemas.eventTypes().containsAll(List.of("repository_updated", "commit_created",
        "pull_request_updated", "contributor_updated")));
  }

  @Test
  void theSharedFrameIsEnforced() {
    ObjectNode envelope = json(SampleEnvelopes.commit(REPOSITORY, 1));
    envelope.put("extra", true);
    envelope.put("event_id", "not-a-uuid");
    List<String> violations = EnvelopeSchemas.violations(envelope);
    assertTrue(violations.stream().anyMatch(v -> v.contains("extra")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("event_id")), violations.toString());
  }

  @Test
  void theSharedDefinitionsAreEnforced() {
    ObjectNode envelope = json(SampleEnvelopes.commit(REPOSITORY, 1));
    ((ObjectNode) envelope.path("data").path("author")).remove("email");
    List<String> violations = EnvelopeSchemas.violations(envelope);
    assertTrue(violations.stream().anyMatch(v -> v.contains("email")), violations.toString());
  }

  @Test
  void anUndeclaredEventTypeIsNamed() {
    JsonNode envelope = json(SampleEnvelopes.commit(REPOSITORY, 1)).put("event_type", "nothing_updated");
    assertEquals(List.of("unknown event_type 'nothing_updated'"), EnvelopeSchemas.violations(envelope));
  }
}
