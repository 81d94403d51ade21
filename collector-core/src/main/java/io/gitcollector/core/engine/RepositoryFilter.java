package io.gitcollector.core.engine;

import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.OrganizationRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of an organization's repositories to collect. Name patterns match the repository's path below the
 * organization ({@code api-*}, or {@code team/*} in a GitLab subgroup), case-insensitively, {@code *} any run of
 * characters but {@code /}, {@code **} any run including it, {@code ?} one character. A repository is selected when it
 * matches an include pattern (or none is given), no exclude pattern, and the fork, archived, visibility and topic
 * conditions. The default selects every repository.
 */
public record RepositoryFilter(List<String> include, List<String> exclude, boolean forks, boolean archived,
    Set<String> visibility, Set<String> topics) {
  private static final Set<String> VISIBILITIES = Set.of("public", "private", "internal");

  public RepositoryFilter {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    visibility = Set.copyOf(visibility);
    topics = Set.copyOf(topics);
    for (String pattern : include) {
      checkPattern(pattern, "include");
    }
    for (String pattern : exclude) {
      checkPattern(pattern, "exclude");
    }
    for (String value : visibility) {
      if (!VISIBILITIES.contains(value)) {
        throw new InvalidConfigurationException("visibility: '" + value + "' is not one of " + VISIBILITIES);
      }
    }
  }

  /** Every repository. */
  public static RepositoryFilter all() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the repository, listed in {@code organization}, is selected. */
  public boolean matches(OrganizationRef organization, DiscoveredRepository repository) {
    if (repository.fork() && !forks || repository.archived() && !archived) {
      return false;
    }
    if (!visibility.isEmpty() && !visibility.contains(repository.visibility())) {
      return false;
    }
    if (!topics.isEmpty() && repository.topics().stream().noneMatch(topic -> topics.contains(
        topic.toLowerCase(Locale.ROOT)))) {
      return false;
    }
    List<String> segments = repository.repository().pathSegments();
    int depth = Math.min(organization.pathSegments().size(), segments.size() - 1);
    String relative = String.join("/", segments.subList(depth, segments.size())).toLowerCase(Locale.ROOT);
    boolean included = include.isEmpty() || include.stream().anyMatch(p -> glob(p).matcher(relative).matches());
    return included && exclude.stream().noneMatch(p -> glob(p).matcher(relative).matches());
  }

  private static void checkPattern(String pattern, String field) {
    Objects.requireNonNull(pattern, field);
    if (pattern.isBlank() || !pattern.matches("[A-Za-z0-9._~*?/-]+")) {
      throw new InvalidConfigurationException(field + ": '" + pattern + "' is not a name pattern (letters, digits,"
          + " . _ ~ - /, and the wildcards * ** ?)");
    }
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    String lower = pattern.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == '*' && i + 1 < lower.length() && lower.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  /** A filter built condition by condition; unset, each selects everything. */
  public static final class Builder {
    private final List<String> include = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private boolean forks = true;
    private boolean archived = true;
    private final Set<String> visibility = new LinkedHashSet<>();
    private final Set<String> topics = new LinkedHashSet<>();

    private Builder() {}

    /** Selects only repositories whose path below the organization matches one of the patterns. */
    public Builder include(String... patterns) {
      include.addAll(List.of(patterns));
      return this;
    }

    /** Leaves out repositories whose path below the organization matches one of the patterns. */
    public Builder exclude(String... patterns) {
      exclude.addAll(List.of(patterns));
      return this;
    }

    /** Whether forks are selected (default yes). */
    public Builder forks(boolean value) {
      forks = value;
      return this;
    }

    /** Whether archived repositories are selected (default yes: collected once more, then polled rarely). */
    public Builder archived(boolean value) {
      archived = value;
      return this;
    }

    /** Selects only repositories of these visibilities ({@code public}, {@code private}, {@code internal}). */
    public Builder visibility(String... values) {
      for (String value : values) {
        visibility.add(value.strip().toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /** Selects only repositories with at least one of these topics. */
    public Builder topics(String... values) {
      for (String value : values) {
        topics.add(value.strip().toLowerCase(Locale.ROOT));
      }
      return this;
    }

    public RepositoryFilter build() {
      return new RepositoryFilter(include, exclude, forks, archived, visibility, topics);
    }
  }
}
