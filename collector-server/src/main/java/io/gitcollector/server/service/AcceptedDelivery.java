package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.spi.WebhookEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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

  /** What a delivery asks for: collect a repository, or refetch one of its pull requests. */
  record Work(WebhookEvent.Action action, String url, OptionalLong pullRequest) {
    Work {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(pullRequest, "pullRequest");
    }
  }

  String json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("expires", expires.toString());
    work.ifPresent(w -> {
      ObjectNode workNode = node.putObject("work");
      workNode.put("action", w.action().name().toLowerCase(Locale.ROOT));
      workNode.put("url", w.url());
      w.pullRequest().ifPresent(number -> workNode.put("pull_request", number));
    });
    return node.toString();
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
              work.path("url").asText(), work.has("pull_request")
                  ? OptionalLong.of(work.path("pull_request").asLong()) : OptionalLong.empty()))
          : Optional.empty();
      return new AcceptedDelivery(Instant.parse(node.path("expires").asText()), parsed);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable webhook delivery record: " + e.getMessage(), e);
    }
  }
}
