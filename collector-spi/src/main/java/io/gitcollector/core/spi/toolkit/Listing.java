package io.gitcollector.core.spi.toolkit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a platform's list as an adapter read it: its items in the platform's order, and the position of the page
 * after it (a URL, a page number, a GraphQL cursor: whatever the adapter stores to read it), if there is one.
 */
public record Listing<N>(List<N> items, Optional<String> next) {
  public Listing {
    items = List.copyOf(items);
    Objects.requireNonNull(next, "next");
  }
}
