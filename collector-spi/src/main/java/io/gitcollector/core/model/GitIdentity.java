package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Author or committer of a commit: the Git identity, plus the platform account it maps to when known. */
public record GitIdentity(String name, String email, Instant date, Optional<String> login) {
  public GitIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(login, "login");
  }
}
