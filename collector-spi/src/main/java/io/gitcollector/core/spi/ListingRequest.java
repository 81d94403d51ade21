package io.gitcollector.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What the engine asks of an organization's listing: a page ({@code page} empty: the first; else the {@code next} an
 * earlier {@link ListingPage} named) and the ETag that page had when the engine last read it, so that an unchanged page
 * is answered 304, which costs no rate-limit points where the platform honours it.
 */
public record ListingRequest(Optional<String> page, Optional<String> etag) {
  public ListingRequest {
    Objects.requireNonNull(page, "page");
    Objects.requireNonNull(etag, "etag");
  }

  public static ListingRequest first() {
    return new ListingRequest(Optional.empty(), Optional.empty());
  }
}
