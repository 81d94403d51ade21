package io.gitcollector.core.spi;

import io.gitcollector.core.model.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The origins (scheme, host, port) a platform's credential may be sent to: its configured API origin and the ones
 * derived from it (GitHub's GraphQL endpoint). The engine refuses every request an adapter makes to any other origin
 * before it leaves (see {@link RemoteCallExecutor#execute(String, String, String, RemoteCall)}), and adapters check
 * next-page links with {@link #require} as they read them, so a link naming another host or port is never followed
 * with a credential and never stored in a cursor.
 */
public record ApiOrigins(Set<String> origins) {

  public ApiOrigins {
    origins = Set.copyOf(origins);
  }

  /** The origins of these URLs (their paths are ignored). */
  public static ApiOrigins of(String... urls) {
    return of(List.of(urls));
  }

  public static ApiOrigins of(List<String> urls) {
    Set<String> origins = new LinkedHashSet<>();
    for (String url : urls) {
      origins.add(originOf(url).orElseThrow(() -> new IllegalArgumentException("not an absolute http(s) URL: "
          + url)));
    }
    return new ApiOrigins(origins);
  }

  /** No declared origin: a plugin written before origins existed. Nothing is refused for it. */
  public static ApiOrigins undeclared() {
    return new ApiOrigins(Set.of());
  }

  public boolean declared() {
    return !origins.isEmpty();
  }

  /** Whether a credential may go to {@code url}: its origin is one of these (always, when none is declared). */
  public boolean allows(String url) {
    return !declared() || originOf(url).map(origins::contains).orElse(false);
  }

  /**
   * Returns {@code url} if a credential may go there; otherwise a {@link ProtocolException} naming the foreign origin
   * (never its path or query, which could carry anything).
   *
   * @param what what named the URL, for the message: {@code "the next-page link of commits"}
   */
  public String require(String url, String what) {
    if (allows(url)) {
      return url;
    }
    throw refusal(url, what);
  }

  /** The error for a URL these origins do not allow, for an adapter to return as a permanent failure. */
  public ProtocolException refusal(String url, String what) {
    return new ProtocolException(what + " points to " + originOf(url).orElse("an unreadable URL") + ", which is not"
        + " the platform's API origin " + String.join(" or ", origins) + "; refused, so that no credential leaves"
        + " its origin");
  }

  /** {@code scheme://host:port} in lower case with the port written out, or empty if {@code url} has none. */
  public static Optional<String> originOf(String url) {
    Objects.requireNonNull(url, "url");
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      String host = uri.getHost();
      if (scheme == null || host == null) {
        return Optional.empty();
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return Optional.empty();
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
