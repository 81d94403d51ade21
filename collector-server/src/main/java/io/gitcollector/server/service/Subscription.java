package io.gitcollector.server.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A repository the server keeps collected: incrementally every {@code interval}, fully every so often. Its one JSON
 * form ({@link #json()}) is both what the API answers and what the state store keeps.
 */
public record Subscription(String repositoryId, String url, Duration interval, Instant nextSync, Instant nextFullSync) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Subscription {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(nextSync, "nextSync");
    Objects.requireNonNull(nextFullSync, "nextFullSync");
  }

  /** {@code {"repository_id", "url", "interval": "PT1H", "next_sync", "next_full_sync"}}. */
  public ObjectNode json() {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository_id", repositoryId);
    node.put("url", url);
    node.put("interval", interval.toString());
    node.put("next_sync", nextSync.toString());
    node.put("next_full_sync", nextFullSync.toString());
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
      return new Subscription(node.path("repository_id").asText(), node.path("url").asText(), interval,
          Instant.parse(node.path("next_sync").asText()), Instant.parse(node.path("next_full_sync").asText()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable subscription: " + e.getMessage(), e);
    }
  }

  /** The same subscription, next synced at {@code nextSync} (and fully at {@code nextFullSync}). */
  Subscription rescheduled(Instant next, Instant nextFull) {
    return new Subscription(repositoryId, url, interval, next, nextFull);
  }
}
