package io.gitcollector.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A repository as an organization's listing shows it: enough to subscribe it, filter it and plan its collection,
 * without reading the repository itself.
 *
 * @param platformId the platform's own id, which a rename or transfer keeps
 * @param repository where it is now
 * @param visibility {@code public}, {@code private} or {@code internal}
 * @param sizeKb the size the platform reports, for planning
 */
public record DiscoveredRepository(String platformId, RepositoryRef repository, boolean fork, boolean archived,
    String visibility, List<String> topics, long sizeKb, Optional<Instant> pushedAt) {

  public DiscoveredRepository {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(visibility, "visibility");
    topics = List.copyOf(topics);
    Objects.requireNonNull(pushedAt, "pushedAt");
  }
}
