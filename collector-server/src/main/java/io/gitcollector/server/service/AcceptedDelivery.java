package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.EntityRef;
import io.gitcollector.core.spi.WebhookEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable record of a webhook delivery id: until when it is remembered, and, in single-instance mode, the work
 * it asks for, so that work accepted with a {@code 202} is replayed after a crash. Records written before the work
 * was kept hold only the expiry time, as text.
 */
record AcceptedDelivery(Instant expires, Optional<Work> work) {
  private static final ObjectMapper JSON = new ObjectMapper();

  AcceptedDelivery {
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(work, "work");
  }

  /** What a delivery asks for: collect a repository, or refetch one of its entities. */
  record Work(WebhookEvent.Action action, String url, Optional<EntityRef> entity) {
    Work {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(entity, "entity");
    }
  }

  String json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("expires", expires.toString());
    work.ifPresent(w -> {
      ObjectNode workNode = node.putObject("work");
      workNode.put("action", w.action().name().toLowerCase(Locale.ROOT));
      workNode.put("url", w.url());
      w.entity().ifPresent(entity -> {
        workNode.put("kind", entity.kind().stream());
        workNode.put("key", entity.key());
      });
    });
    return node.toString();
  }

  /** The entity a stored work refetches: by kind and key, or a pull request as records before kinds held it. */
  private static Optional<EntityRef> entity(JsonNode work) {
    if (work.has("kind")) {
      String stream = work.path("kind").asText();
      EntityKind kind = EntityKind.all().stream().filter(k -> k.stream().equals(stream)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown kind '" + stream + "'"));
      return Optional.of(new EntityRef(kind, work.path("key").asText()));
    }
    return work.has("pull_request") ? Optional.of(EntityRef.pullRequest(work.path("pull_request").asLong()))
        : Optional.empty();
  }

  static AcceptedDelivery read(String value) {
    if (!value.startsWith("{")) {
      return new AcceptedDelivery(Instant.parse(value.trim()), Optional.empty());
    }
    try {
      JsonNode node = JSON.readTree(value);
      JsonNode work = node.path("work");
      Optional<Work> parsed = work.isObject()
          ? Optional.of(new Work(WebhookEvent.Action.valueOf(work.path("action").asText().toUpperCase(Locale.ROOT)),
              work.path("url").asText(), entity(work)))
          : Optional.empty();
      return new AcceptedDelivery(Instant.parse(node.path("expires").asText()), parsed);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable webhook delivery record: " + e.getMessage(), e);
    }
  }
}
