package io.gitcollector.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone who contributed to the repository. {@code login} is the platform account, empty for contributors known only
 * by their Git identity; {@code asOf} is when the count was observed.
 */
public record Contributor(
    Optional<String> platformId,
    Optional<String> login,
    Optional<String> name,
    Optional<String> email,
    long contributions,
    Instant asOf)
    implements Entity {

  public Contributor {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(asOf, "asOf");
    if (login.isEmpty() && email.isEmpty() && name.isEmpty()) {
      throw new IllegalArgumentException("a contributor needs a login, an email or a name");
    }
  }

  @Override
  public EntityKind kind() {
    return EntityKind.CONTRIBUTOR;
  }

  @Override
  public String key() {
    return login.map(l -> "login:" + l).or(() -> email.map(e -> "email:" + e)).orElseGet(() -> "name:" + name.get());
  }

  @Override
  public String version() {
    return Long.toString(contributions);
  }

  @Override
  public Instant occurredAt() {
    return asOf;
  }
}
