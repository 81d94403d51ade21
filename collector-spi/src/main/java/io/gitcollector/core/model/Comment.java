package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A comment on an issue (or another entity that nests its discussion): who wrote what, and when. */
public record Comment(String platformId, Optional<String> author, String body, Instant createdAt, Instant updatedAt) {
  public Comment {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
