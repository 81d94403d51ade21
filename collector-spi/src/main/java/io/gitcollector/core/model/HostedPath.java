package io.gitcollector.core.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host and a path read from a URL a user gave, the one reading behind {@link RepositoryRef} and
 * {@link OrganizationRef}: a web URL, a clone URL with or without {@code .git}, an scp-like SSH address or a URL with a
 * trailing slash.
 */
record HostedPath(String host, int port, List<String> segments) {
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!//)(.+)$");
  private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9._~-]+$");

  /**
   * Reads a repository URL ({@code organization} false: at least owner/name, a {@code .git} suffix dropped) or an
   * organization's (at least one segment).
   *
   * @throws MalformedRepositoryUrlException naming what is wrong with the text
   */
  static HostedPath parse(String url, boolean organization) {
    String what = organization ? "organization" : "repository";
    if (url == null || url.isBlank()) {
      throw new MalformedRepositoryUrlException(what, String.valueOf(url), "the URL is empty");
    }
    String text = url.trim();
    if (text.length() > RepositoryRef.MAX_URL_LENGTH) {
      throw new MalformedRepositoryUrlException(what, text.substring(0, 80) + "…", "it is " + text.length()
          + " characters long; " + what + " URLs have at most " + RepositoryRef.MAX_URL_LENGTH);
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
        throw new MalformedRepositoryUrlException(what, text, "it is not a valid URI (" + e.getReason() + ")");
      }
      String scheme = uri.getScheme();
      if (scheme == null) {
        throw new MalformedRepositoryUrlException(what, text, "it has no scheme; expected https://host/"
            + (organization ? "organization" : "owner/repo"));
      }
      String lowerScheme = scheme.toLowerCase(Locale.ROOT);
      if (!List.of("https", "http", "ssh", "git").contains(lowerScheme)) {
        throw new MalformedRepositoryUrlException(what, text, "scheme '" + scheme
            + "' is not one of https, http, ssh, git");
      }
      host = uri.getHost();
      if (host == null || host.isBlank()) {
        throw new MalformedRepositoryUrlException(what, text, "it has no host");
      }
      // the scheme's own port is no port: https://github.com:443/o/r is https://github.com/o/r, one repository
      port = uri.getPort() == RepositoryRef.defaultPort(lowerScheme) ? -1 : uri.getPort();
      path = uri.getPath() == null ? "" : uri.getPath();
    }
    List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.isEmpty()) {
      throw new MalformedRepositoryUrlException(what, text, organization ? "it names no organization, group or"
          + " workspace" : "it names no repository path (owner/name)");
    }
    String last = segments.get(segments.size() - 1);
    if (!organization && last.endsWith(".git")) {
      segments = new ArrayList<>(segments);
      segments.set(segments.size() - 1, last.substring(0, last.length() - 4));
    }
    if (!organization && segments.size() < 2) {
      throw new MalformedRepositoryUrlException(what, text, "the path '" + path + "' has no owner/name pair");
    }
    if (segments.size() > RepositoryRef.MAX_SEGMENTS) {
      throw new MalformedRepositoryUrlException(what, text, "its path has " + segments.size() + " segments; at most "
          + RepositoryRef.MAX_SEGMENTS + " (GitLab's deepest nesting) are accepted");
    }
    for (String segment : segments) {
      if (segment.length() > RepositoryRef.MAX_SEGMENT_LENGTH) {
        throw new MalformedRepositoryUrlException(what, text, "path segment '" + segment.substring(0, 20) + "…' is "
            + segment.length() + " characters long; owner and repository names have at most "
            + RepositoryRef.MAX_SEGMENT_LENGTH);
      }
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new MalformedRepositoryUrlException(what, text, "path segment '" + segment + "' is not a valid name");
      }
    }
    return new HostedPath(host.toLowerCase(Locale.ROOT), port, List.copyOf(segments));
  }
}
