package io.gitcollector.core.engine;

import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.RepositoryRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One pass over an organization's listing: every repository it holds that the credentials can see, the ones the
 * filter selected, and what changed since the previous pass (by the platform's own repository id, which renames and
 * transfers keep).
 *
 * @param listed every repository listed, whatever the filter
 * @param selected the ones the filter selected
 * @param added listed now, not in the previous pass (every one on the first pass)
 * @param renamed listed under another path than in the previous pass
 * @param archived archived since the previous pass
 * @param departed in the previous pass, no longer listed: deleted, or moved out of the organization
 * @param pages pages of the listing read
 * @param unchangedPages pages the platform answered "not modified" (free where ETags are honoured)
 * @param requests requests the pass made, confirmations of departures included
 * @param elapsed how long the pass took (what a plan takes a request's latency from)
 */
public record Discovery(String organizationId, List<DiscoveredRepository> listed,
    List<DiscoveredRepository> selected, List<DiscoveredRepository> added, List<Renamed> renamed,
    List<DiscoveredRepository> archived, List<Departure> departed, int pages, int unchangedPages, long requests,
    Duration elapsed) {

  public Discovery {
    Objects.requireNonNull(organizationId, "organizationId");
    listed = List.copyOf(listed);
    selected = List.copyOf(selected);
    added = List.copyOf(added);
    renamed = List.copyOf(renamed);
    archived = List.copyOf(archived);
    departed = List.copyOf(departed);
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** A repository that kept its platform id under a new path. */
  public record Renamed(DiscoveredRepository before, DiscoveredRepository after) {
    public Renamed {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }
  }

  /**
   * A repository no longer listed: {@code DELETED} when the platform no longer serves it to these credentials,
   * {@code MOVED_OUT} when it answers under a path outside the organization ({@code movedTo}).
   */
  public record Departure(DiscoveredRepository repository, Reason reason, Optional<RepositoryRef> movedTo) {
    public Departure {
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(movedTo, "movedTo");
    }

    /** Why a repository left the listing. */
    public enum Reason { DELETED, MOVED_OUT }
  }
}
