package io.gitcollector.core.engine;

import io.gitcollector.core.model.EntityKind;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A stream a sync walks for each repository, with its own cursor: one per {@link EntityKind declared kind} the
 * platform serves. The constants are the collector's own streams.
 */
public record StreamKind(EntityKind kind) {
  private static final java.util.Map<EntityKind, StreamKind> STREAMS = new java.util.concurrent.ConcurrentHashMap<>();
  public static final StreamKind REPOSITORY = of(EntityKind.REPOSITORY);
  public static final StreamKind COMMITS = of(EntityKind.COMMIT);
  public static final StreamKind PULL_REQUESTS = of(EntityKind.PULL_REQUEST);
  public static final StreamKind CONTRIBUTORS = of(EntityKind.CONTRIBUTOR);

  public StreamKind {
    Objects.requireNonNull(kind, "kind");
  }

  /** The name its cursor and counts are kept under: {@code commits}, {@code pull_requests}, … */
  public String key() {
    return kind.stream();
  }

  /** The stream of a kind: one instance per kind, so that streams compare like the constants they were. */
  public static StreamKind of(EntityKind kind) {
    return STREAMS.computeIfAbsent(kind, StreamKind::new);
  }

  /** The streams of these kinds, in the order the kinds were declared. */
  public static List<StreamKind> of(Collection<EntityKind> kinds) {
    return EntityKind.all().stream().filter(kinds::contains).map(StreamKind::of).toList();
  }

  /** The collector's own streams. */
  public static List<StreamKind> values() {
    return of(EntityKind.STANDARD);
  }

  @Override
  public String toString() {
    return key();
  }
}
