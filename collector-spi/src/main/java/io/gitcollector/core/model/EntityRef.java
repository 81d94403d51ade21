package io.gitcollector.core.model;

import java.util.Objects;

/**
 * One entity of a repository, named by its kind and its key ({@link Entity#key()}: a pull request's or issue's
 * number, a run's id, a tag): what a webhook asks to fetch again.
 */
public record EntityRef(EntityKind kind, String key) {
  public EntityRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.length() > 256) {
      throw new IllegalArgumentException("an entity key is 1 to 256 characters, was '" + key + "'");
    }
  }

  /** A pull request by its number. */
  public static EntityRef pullRequest(long number) {
    return new EntityRef(EntityKind.PULL_REQUEST, Long.toString(number));
  }

  /** The key as a number (pull requests, issues, runs); a key that is not one is a protocol error. */
  public long number() {
    try {
      return Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw new ProtocolException(kind.name() + " key '" + key + "' is not a number");
    }
  }

  @Override
  public String toString() {
    return kind.stream() + "#" + key;
  }
}
