package io.gitcollector.core.spi;

import io.gitcollector.core.model.DiscoveredRepository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an organization's repositories: {@code repositories} empty when the platform said the page did not
 * change (the engine then uses what it kept of it, its {@code next} included); {@code etag} to ask with next time;
 * {@code next} the page after this one, an opaque value (a URL) for {@link ListingRequest#page()}.
 */
public record ListingPage(Optional<List<DiscoveredRepository>> repositories, Optional<String> etag,
    Optional<String> next) {
  public ListingPage {
    repositories = repositories.map(List::copyOf);
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(next, "next");
  }

  /** The page as the platform sent it. */
  public static ListingPage of(List<DiscoveredRepository> repositories, Optional<String> etag, Optional<String> next) {
    return new ListingPage(Optional.of(repositories), etag, next);
  }

  /** The platform answered that the page is as it was when it had {@code etag}. */
  public static ListingPage notModified(String etag) {
    return new ListingPage(Optional.empty(), Optional.of(etag), Optional.empty());
  }

  public boolean modified() {
    return repositories.isPresent();
  }
}
