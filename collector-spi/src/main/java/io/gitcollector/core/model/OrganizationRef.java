package io.gitcollector.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An organization (GitHub), a group with its subgroups (GitLab) or a workspace (Bitbucket) on some host: what a user
 * subscribes to collect every repository it holds. Parsed from the same URL forms as a {@link RepositoryRef}.
 */
public record OrganizationRef(String host, int port, List<String> pathSegments) {

  public OrganizationRef {
    Objects.requireNonNull(host, "host");
    pathSegments = List.copyOf(pathSegments);
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (pathSegments.isEmpty()) {
      throw new IllegalArgumentException("an organization path has at least one segment");
    }
  }

  /**
   * Parses an organization URL: {@code https://github.com/ORG}, {@code https://gitlab.example.com/group/subgroup},
   * {@code https://bitbucket.org/WORKSPACE}.
   *
   * @throws MalformedRepositoryUrlException naming what is wrong with the text
   */
  public static OrganizationRef parse(String url) {
    HostedPath parsed = HostedPath.parse(url, true);
    return new OrganizationRef(parsed.host(), parsed.port(), parsed.segments());
  }

  /** {@code host} or {@code host:port}, the port only when it is not the scheme's own. */
  public String authority() {
    return port > 0 ? host + ":" + port : host;
  }

  /** The path as the platform spells it, e.g. {@code octo-org} or {@code group/subgroup}. */
  public String path() {
    return String.join("/", pathSegments);
  }

  /** {@code <platform>:<host>/<path>} in lower case, e.g. {@code github:github.com/octo-org}. */
  public String organizationId(String platformId) {
    return (platformId + ":" + authority() + "/" + path()).toLowerCase(Locale.ROOT);
  }

  /** Whether the repository lives in this organization (or, on GitLab, in one of its subgroups). */
  public boolean holds(RepositoryRef repository) {
    if (!repository.authority().equals(authority())
        || repository.pathSegments().size() <= pathSegments.size()) {
      return false;
    }
    for (int i = 0; i < pathSegments.size(); i++) {
      if (!repository.pathSegments().get(i).equalsIgnoreCase(pathSegments.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A canonical https web URL, for messages. */
  public String webUrl() {
    return "https://" + authority() + "/" + path();
  }

  @Override
  public String toString() {
    return authority() + "/" + path();
  }
}
