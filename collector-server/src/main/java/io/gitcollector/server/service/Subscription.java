package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcollector.core.model.EntityKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A repository the server keeps collected: incrementally every {@code interval}, fully every so often, some kinds or
 * every kind its platform serves. Its one JSON form ({@link #json()}) is both what the API answers and what the
 * state store keeps.
 */
public record Subscription(String repositoryId, String url, Duration interval, Instant nextSync, Instant nextFullSync,
    Optional<Set<EntityKind>> kinds, Optional<String> organizationId) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Subscription {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(nextSync, "nextSync");
    Objects.requireNonNull(nextFullSync, "nextFullSync");
    kinds = kinds.map(Set::copyOf);
    Objects.requireNonNull(organizationId, "organizationId");
  }

  /**
   * {@code {"repository_id", "url", "interval": "PT1H", "next_sync", "next_full_sync", "kinds": ["issues", …],
   * "organization_id"}}; {@code kinds} is {@code null} for every kind the platform serves, {@code organization_id}
   * for a repository subscribed by itself rather than by following its organization.
   */
  public ObjectNode json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository_id", repositoryId);
    node.put("url", url);
    node.put("interval", interval.toString());
    node.put("next_sync", nextSync.toString());
    node.put("next_full_sync", nextFullSync.toString());
    if (kinds.isPresent()) {
      ArrayNode names = node.putArray("kinds");
      EntityKind.all().stream().filter(kinds.get()::contains).forEach(kind -> names.add(kind.stream()));
    } else {
      node.putNull("kinds");
    }
    node.put("organization_id", organizationId.orElse(null));
    return node;
  }

  /**
   * Reads the JSON form; also the form stored before it was the API's ({@code interval_seconds}).
   *
   * @throws IllegalArgumentException if it cannot be read
   */
  static Subscription read(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      Duration interval = node.hasNonNull("interval") ? Duration.parse(node.path("interval").asText())
          : Duration.ofSeconds(node.path("interval_seconds").asLong());
      Optional<Set<EntityKind>> kinds = Optional.empty();
      if (node.path("kinds").isArray()) {
        List<String> names = new ArrayList<>();
        node.path("kinds").forEach(name -> names.add(name.asText()));
        kinds = Optional.of(EntityKind.parse(String.join(",", names), "kinds"));
      }
      return new Subscription(node.path("repository_id").asText(), node.path("url").asText(), interval,
          Instant.parse(node.path("next_sync").asText()), Instant.parse(node.path("next_full_sync").asText()), kinds,
          node.hasNonNull("organization_id") ? Optional.of(node.get("organization_id").asText()) : Optional.empty());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable subscription: " + e.getMessage(), e);
    }
  }

  /** The same subscription, next synced at {@code nextSync} (and fully at {@code nextFullSync}). */
  Subscription rescheduled(Instant next, Instant nextFull) {
    return new Subscription(repositoryId, url, interval, next, nextFull, kinds, organizationId);
  }

  /** The same subscription, synced every {@code every} from now on (an archived repository is polled rarely). */
  Subscription every(Duration every) {
    return new Subscription(repositoryId, url, every, nextSync, nextFullSync, kinds, organizationId);
  }
}
