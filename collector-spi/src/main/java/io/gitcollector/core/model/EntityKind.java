package io.gitcollector.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A kind of entity the collector emits, declared once with what follows from it: its name (part of every event id,
 * so it never changes), its event type, its stream (the name its cursors are kept under, one stream per kind and
 * repository), its default topic, and its record class (how an envelope's {@code data} is read back). The
 * collector's own kinds are the constants below; a plugin declares more with {@link #declare}.
 */
public record EntityKind(String name, String eventType, String stream, String defaultTopic,
    Class<? extends Entity> type) {
  private static final Map<String, EntityKind> BY_EVENT_TYPE = new ConcurrentHashMap<>();
  private static final List<EntityKind> DECLARED = new CopyOnWriteArrayList<>();

  public static final EntityKind REPOSITORY =
      declare("REPOSITORY", "repository_updated", "repository", "git.repositories", Repository.class);
  public static final EntityKind COMMIT =
      declare("COMMIT", "commit_created", "commits", "git.commits", Commit.class);
  public static final EntityKind PULL_REQUEST =
      declare("PULL_REQUEST", "pull_request_updated", "pull_requests", "git.pull_requests", PullRequest.class);
  public static final EntityKind CONTRIBUTOR =
      declare("CONTRIBUTOR", "contributor_updated", "contributors", "git.repositories", Contributor.class);

  /** The kinds every platform adapter serves (the ones the collector had before kinds were declared). */
  public static final java.util.Set<EntityKind> STANDARD = java.util.Set.of(REPOSITORY, COMMIT, PULL_REQUEST,
      CONTRIBUTOR);

  public EntityKind {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Z][A-Z0-9_]*")) {
      throw new IllegalArgumentException("a kind's name is upper case, digits and '_': '" + name + "'");
    }
    Objects.requireNonNull(eventType, "eventType");
    if (!eventType.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("an event type is lower case, digits and '_': '" + eventType + "'");
    }
    Objects.requireNonNull(stream, "stream");
    if (!stream.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a stream's name is lower case, digits and '_': '" + stream + "'");
    }
    Objects.requireNonNull(defaultTopic, "defaultTopic");
    Objects.requireNonNull(type, "type");
  }

  /**
   * Declares a kind, once per event type (declaring the same kind again returns it; another kind with the same event
   * type is refused).
   */
  public static EntityKind declare(String name, String eventType, String stream, String defaultTopic,
      Class<? extends Entity> type) {
    EntityKind kind = new EntityKind(name, eventType, stream, defaultTopic, type);
    EntityKind existing = BY_EVENT_TYPE.putIfAbsent(eventType, kind);
    if (existing == null) {
      DECLARED.add(kind);
      return kind;
    }
    if (!existing.equals(kind)) {
      throw new IllegalArgumentException("the event type '" + eventType + "' is declared by " + existing.name());
    }
    return existing;
  }

  /** The same, with the stream named after the kind ({@code LABEL} → {@code label}). */
  public static EntityKind declare(String name, String eventType, String defaultTopic, Class<? extends Entity> type) {
    return declare(name, eventType, name.toLowerCase(java.util.Locale.ROOT), defaultTopic, type);
  }

  /** Every kind declared so far, the collector's own first, in the order of their declaration. */
  public static List<EntityKind> all() {
    return List.copyOf(DECLARED);
  }

  /** The kind whose envelopes carry this event type, if one is declared. */
  public static Optional<EntityKind> byEventType(String eventType) {
    return Optional.ofNullable(BY_EVENT_TYPE.get(eventType));
  }

  /** The classpath resource of the kind's JSON Schema. */
  public String schemaResource() {
    return "/io/gitcollector/schemas/" + eventType + ".schema.json";
  }

  @Override
  public String toString() {
    return name;
  }
}
