package io.gitcollector.core.engine;

/** The streams a sync walks for each repository, each with its own cursor. */
public enum StreamKind {
  REPOSITORY,
  COMMITS,
  PULL_REQUESTS,
  CONTRIBUTORS;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
