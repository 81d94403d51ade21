package io.gitcollector.core.model;

/** The kinds of entity the collector emits, each with its event type and default topic. */
public enum EntityKind {
  REPOSITORY("repository_updated", "git.repositories"),
  COMMIT("commit_created", "git.commits"),
  PULL_REQUEST("pull_request_updated", "git.pull_requests"),
  CONTRIBUTOR("contributor_updated", "git.repositories");

  private final String eventType;
  private final String defaultTopic;

  EntityKind(String eventType, String defaultTopic) {
    this.eventType = eventType;
    this.defaultTopic = defaultTopic;
  }

  public String eventType() {
    return eventType;
  }

  public String defaultTopic() {
    return defaultTopic;
  }
}
