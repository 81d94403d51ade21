package io.gitcollector.server.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A repository the server keeps collected: incrementally every {@code interval}, fully every so often. */
public record Subscription(String repositoryId, String url, Duration interval, Instant nextSync, Instant nextFullSync) {
  public Subscription {
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(nextSync, "nextSync");
    Objects.requireNonNull(nextFullSync, "nextFullSync");
  }
}
