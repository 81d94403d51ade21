package io.gitcollector.core.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A repository on some host, as parsed from whatever URL form a user gave: a web URL, a clone URL with or without
 * {@code .git}, an scp-like SSH address ({@code git@host:owner/repo.git}) or a URL with a trailing slash.
 *
 * <p>The path keeps the case the user typed (platform APIs want it), while {@link #repositoryId(String)} is lower case
 * so that every form of the same repository has one identifier.
 */
public record RepositoryRef(String host, int port, List<String> pathSegments) {

  /** GitHub's longest repository name; GitHub owners have at most 39 characters, Bitbucket slugs 62. */
  static final int MAX_SEGMENT_LENGTH = 100;
  /** GitLab nests groups up to 20 levels. */
  static final int MAX_SEGMENTS = 21;
  static final int MAX_URL_LENGTH = 2_048;

  public RepositoryRef {
    Objects.requireNonNull(host, "host");
    pathSegments = List.copyOf(pathSegments);
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (pathSegments.size() < 2) {
      throw new IllegalArgumentException("a repository path has at least an owner and a name");
    }
  }

  /**
   * Parses a repository URL.
   *
   * @throws MalformedRepositoryUrlException naming what is wrong with the text
   */
  public static RepositoryRef parse(String url) {
    HostedPath parsed = HostedPath.parse(url, false);
    return new RepositoryRef(parsed.host(), parsed.port(), parsed.segments());
  }

  static int defaultPort(String scheme) {
    return switch (scheme) {
      case "https" -> 443;
      case "http" -> 80;
      case "ssh" -> 22;
      case "git" -> 9418;
      default -> -1;
    };
  }

  /** {@code host} or {@code host:port}, the port only when it is not the scheme's own. */
  public String authority() {
    return port > 0 ? host + ":" + port : host;
  }

  /**
   * The authority of an http(s) URL written the same way ({@code host} or {@code host:port}, lower case, the
   * scheme's own port left out), for comparing a repository with a configured API or web URL; empty if unreadable.
   */
  public static java.util.Optional<String> authorityOf(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || uri.getScheme() == null) {
        return java.util.Optional.empty();
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort() == defaultPort(uri.getScheme().toLowerCase(Locale.ROOT)) ? -1 : uri.getPort();
      return java.util.Optional.of(port > 0 ? host + ":" + port : host);
    } catch (URISyntaxException e) {
      return java.util.Optional.empty();
    }
  }

  /** The path as the platform spells it, e.g. {@code octocat/Hello-World}. */
  public String path() {
    return String.join("/", pathSegments);
  }

  /** The first path segment: a GitHub owner, a GitLab top-level group, a Bitbucket workspace. */
  public String owner() {
    return pathSegments.get(0);
  }

  /** The last path segment: the repository's own name. */
  public String name() {
    return pathSegments.get(pathSegments.size() - 1);
  }

  /** {@code <platform>:<host>/<full path>} in lower case, e.g. {@code github:github.com/octocat/hello-world}. */
  public String repositoryId(String platformId) {
    String hostPart = port > 0 ? host + ":" + port : host;
    return (platformId + ":" + hostPart + "/" + path()).toLowerCase(Locale.ROOT);
  }

  /** A canonical https web URL, for messages and webhooks. */
  public String webUrl() {
    return "https://" + (port > 0 ? host + ":" + port : host) + "/" + path();
  }

  @Override
  public String toString() {
    return (port > 0 ? host + ":" + port : host) + "/" + path();
  }
}
