package io.gitcollector.core.spi.toolkit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a platform's list as an adapter read it: its items in the platform's order, the position of the page
 * after it (a URL, a page number, a GraphQL cursor: whatever the adapter stores to read it), if there is one, and how
 * many items the list holds after this page, when the platform tells (GraphQL's {@code totalCount}).
 */
public record Listing<N>(List<N> items, Optional<String> next, java.util.OptionalLong remaining) {
  public Listing {
    items = List.copyOf(items);
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(remaining, "remaining");
  }

  /** A page of a list whose size the platform does not tell. */
  public Listing(List<N> items, Optional<String> next) {
    this(items, next, java.util.OptionalLong.empty());
  }
}
