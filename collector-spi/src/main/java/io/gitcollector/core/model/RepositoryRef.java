package io.gitcollector.core.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository on some host, as parsed from whatever URL form a user gave: a web URL, a clone URL with or without
 * {@code .git}, an scp-like SSH address ({@code git@host:owner/repo.git}) or a URL with a trailing slash.
 *
 * <p>The path keeps the case the user typed (platform APIs want it), while {@link #repositoryId(String)} is lower case
 * so that every form of the same repository has one identifier.
 */
public record RepositoryRef(String host, int port, List<String> pathSegments) {

  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!//)(.+)$");
  private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9._~-]+$");
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
    if (url == null || url.isBlank()) {
      throw new MalformedRepositoryUrlException(String.valueOf(url), "the URL is empty");
    }
    String text = url.trim();
    if (text.length() > MAX_URL_LENGTH) {
      throw new MalformedRepositoryUrlException(text.substring(0, 80) + "…", "it is " + text.length()
          + " characters long; repository URLs have at most " + MAX_URL_LENGTH);
    }
    String host;
    int port = -1;
    String path;
    Matcher scp = SCP_LIKE.matcher(text);
    if (!text.contains("://") && scp.matches()) {
      host = scp.group(1);
      path = scp.group(2);
    } else {
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new MalformedRepositoryUrlException(text, "it is not a valid URI (" + e.getReason() + ")");
      }
      String scheme = uri.getScheme();
      if (scheme == null) {
        throw new MalformedRepositoryUrlException(text, "it has no scheme; expected https://host/owner/repo");
      }
      String lowerScheme = scheme.toLowerCase(Locale.ROOT);
      if (!List.of("https", "http", "ssh", "git").contains(lowerScheme)) {
        throw new MalformedRepositoryUrlException(text, "scheme '" + scheme + "' is not one of https, http, ssh, git");
      }
      host = uri.getHost();
      if (host == null || host.isBlank()) {
        throw new MalformedRepositoryUrlException(text, "it has no host");
      }
      // the scheme's own port is no port: https://github.com:443/o/r is https://github.com/o/r, one repository
      port = uri.getPort() == defaultPort(lowerScheme) ? -1 : uri.getPort();
      path = uri.getPath() == null ? "" : uri.getPath();
    }
    List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.isEmpty()) {
      throw new MalformedRepositoryUrlException(text, "it names no repository path (owner/name)");
    }
    String last = segments.get(segments.size() - 1);
    if (last.endsWith(".git")) {
      last = last.substring(0, last.length() - 4);
      segments = new java.util.ArrayList<>(segments);
      segments.set(segments.size() - 1, last);
    }
    if (segments.size() < 2) {
      throw new MalformedRepositoryUrlException(text, "the path '" + path + "' has no owner/name pair");
    }
    if (segments.size() > MAX_SEGMENTS) {
      throw new MalformedRepositoryUrlException(text, "its path has " + segments.size() + " segments; at most "
          + MAX_SEGMENTS + " (GitLab's deepest nesting) are accepted");
    }
    for (String segment : segments) {
      if (segment.length() > MAX_SEGMENT_LENGTH) {
        throw new MalformedRepositoryUrlException(text, "path segment '" + segment.substring(0, 20) + "…' is "
            + segment.length() + " characters long; owner and repository names have at most " + MAX_SEGMENT_LENGTH);
      }
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new MalformedRepositoryUrlException(text, "path segment '" + segment + "' is not a valid name");
      }
    }
    return new RepositoryRef(host.toLowerCase(Locale.ROOT), port, segments);
  }

  private static int defaultPort(String scheme) {
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
