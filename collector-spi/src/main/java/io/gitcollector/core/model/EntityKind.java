package io.gitcollector.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A kind of entity the collector emits, declared once with everything that follows from it: its name (part of every
 * event id, so it never changes), its event type, its stream (the name its cursors are kept under, one stream per kind
 * and repository, and the name users select it by), its default topic (and from it the sink setting that renames the
 * topic), its record class (how an envelope's {@code data} is read back), its JSON Schema and what its envelopes say.
 * The event id's version comes from the record ({@link Entity#version()}).
 *
 * <p>The collector's kinds are the constants below; a plugin declares more with {@link #define}.
 */
public record EntityKind(String name, String eventType, String stream, String defaultTopic,
    Class<? extends Entity> type, String description, boolean collected) {
  private static final Map<String, EntityKind> BY_EVENT_TYPE = new ConcurrentHashMap<>();
  private static final List<EntityKind> DECLARED = new CopyOnWriteArrayList<>();

  public static final EntityKind REPOSITORY = define("REPOSITORY", Repository.class).eventType("repository_updated")
      .stream("repository").topic("git.repositories")
      .describedAs("repository metadata; timestamp: updated_at or pushed_at, the later").declare();
  public static final EntityKind COMMIT = define("COMMIT", Commit.class).eventType("commit_created")
      .stream("commits").topic("git.commits").describedAs("commit with statistics, parents, author and committer,"
          + " files when collected; timestamp: committer date").declare();
  public static final EntityKind PULL_REQUEST = define("PULL_REQUEST", PullRequest.class)
      .eventType("pull_request_updated").stream("pull_requests").topic("git.pull_requests")
      .describedAs("pull or merge request with its reviews; timestamp: updated_at").declare();
  public static final EntityKind CONTRIBUTOR = define("CONTRIBUTOR", Contributor.class)
      .eventType("contributor_updated").stream("contributors").topic("git.repositories")
      .describedAs("contributor and contribution count; timestamp: when observed").declare();

  public static final EntityKind ISSUE = define("ISSUE", Issue.class).eventType("issue_updated").stream("issues")
      .topic("git.issues").describedAs("issue with its assignees, labels, milestone and comments; timestamp:"
          + " updated_at").declare();

  public static final EntityKind CI_RUN = define("CI_RUN", CiRun.class).eventType("ci_run_updated")
      .stream("ci_runs").topic("git.ci_runs").describedAs("run of a CI workflow or pipeline, its status normalized"
          + " (queued, running, success, failure, cancelled, skipped); timestamp: updated_at").declare();
  public static final EntityKind DEPLOYMENT = define("DEPLOYMENT", Deployment.class).eventType("deployment_updated")
      .stream("deployments").topic("git.deployments").describedAs("deployment of a commit to an environment with its"
          + " status history, the latest normalized (pending, in_progress, success, failure, error, inactive);"
          + " timestamp: updated_at").declare();
  public static final EntityKind RELEASE = define("RELEASE", Release.class).eventType("release_updated")
      .stream("releases").topic("git.releases").describedAs("release (on Bitbucket, a tag) with its target commit,"
          + " author and notes; timestamp: published_at, else created_at").declare();

  public static final EntityKind REPOSITORY_RENAME = define("REPOSITORY_RENAME", RepositoryRenamed.class)
      .eventType("repository_renamed").stream("repository_renames").topic("git.repositories").eventOnly()
      .describedAs("a repository of a followed organization renamed or moved to another owner, linking its previous"
          + " repository id to its new one (the envelope's); timestamp: when the collector saw it").declare();
  public static final EntityKind REPOSITORY_DELETION = define("REPOSITORY_DELETION", RepositoryDeleted.class)
      .eventType("repository_deleted").stream("repository_deletions").topic("git.repositories").eventOnly()
      .describedAs("a repository of a followed organization deleted (or no longer visible to the credentials);"
          + " timestamp: when the collector saw it").declare();

  /** The kinds every platform adapter serves (the ones the collector had before kinds were declared). */
  public static final Set<EntityKind> STANDARD = Set.of(REPOSITORY, COMMIT, PULL_REQUEST, CONTRIBUTOR);

  public EntityKind {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Z][A-Z0-9_]*")) {
      throw new IllegalArgumentException("a kind's name is upper case, digits and '_': '" + name + "'");
    }
    Objects.requireNonNull(eventType, "eventType");
    if (!eventType.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("an event type is lower case, digits and '_': '" + eventType + "'");
    }
    Objects.requireNonNull(stream, "stream");
    if (!stream.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a stream's name is lower case, digits and '_': '" + stream + "'");
    }
    Objects.requireNonNull(defaultTopic, "defaultTopic");
    if (!defaultTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("'" + defaultTopic + "' is not a valid topic name");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
  }

  /** Starts the declaration of a kind whose envelopes carry records of {@code type}. */
  public static Builder define(String name, Class<? extends Entity> type) {
    return new Builder(name, type);
  }

  /** The kinds a sync collects, one stream each: every declared kind but the ones only events announce. */
  public static List<EntityKind> collectedKinds() {
    return DECLARED.stream().filter(EntityKind::collected).toList();
  }

  /** Every kind declared so far, the collector's own first, in the order of their declaration. */
  public static List<EntityKind> all() {
    return List.copyOf(DECLARED);
  }

  /** The kind whose envelopes carry this event type, if one is declared. */
  public static Optional<EntityKind> byEventType(String eventType) {
    return Optional.ofNullable(BY_EVENT_TYPE.get(eventType));
  }

  /**
   * The kinds a user names, comma separated, each by its stream ({@code issues}, {@code pull_requests}) or its name
   * ({@code ISSUE}), in any case; {@code all} names every collected kind ({@link #collectedKinds()}).
   *
   * @throws InvalidConfigurationException naming the word that names no kind, and the names that do
   */
  public static Set<EntityKind> parse(String names, String field) {
    Set<EntityKind> kinds = new LinkedHashSet<>();
    for (String word : names.split(",")) {
      String wanted = word.strip().toLowerCase(Locale.ROOT);
      if (wanted.isEmpty()) {
        continue;
      }
      if (wanted.equals("all")) {
        kinds.addAll(collectedKinds());
        continue;
      }
      kinds.add(collectedKinds().stream()
          .filter(kind -> kind.stream().equals(wanted) || kind.name().toLowerCase(Locale.ROOT).equals(wanted))
          .findFirst()
          .orElseThrow(() -> new InvalidConfigurationException(field + ": '" + word.strip() + "' is no kind; kinds: "
              + collectedKinds().stream().map(EntityKind::stream).toList())));
    }
    if (kinds.isEmpty()) {
      throw new InvalidConfigurationException(field + " names no kind; kinds: "
          + collectedKinds().stream().map(EntityKind::stream).toList());
    }
    return Set.copyOf(kinds);
  }

  /** The classpath resource of the kind's JSON Schema. */
  public String schemaResource() {
    return "/io/gitcollector/schemas/" + eventType + ".schema.json";
  }

  /**
   * The name of the sink setting that renames this kind's topic: the last part of the default topic
   * ({@code git.pull_requests} → {@code topic.pull_requests}, read from {@code KAFKA_TOPIC_PULL_REQUESTS}). Kinds that
   * share a default topic share the setting.
   */
  public String topicSetting() {
    String last = defaultTopic.substring(defaultTopic.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_]", "_");
    return "topic." + (last.matches("[a-z].*") ? last : "t" + last);
  }

  /** The declared kinds that share each default topic, by topic, in the order of declaration. */
  public static Map<String, List<EntityKind>> byDefaultTopic() {
    Map<String, List<EntityKind>> topics = new java.util.LinkedHashMap<>();
    all().forEach(kind -> topics.computeIfAbsent(kind.defaultTopic(), t -> new ArrayList<>()).add(kind));
    return topics;
  }

  @Override
  public String toString() {
    return name;
  }

  /** A kind being declared: everything not named follows from its name. */
  public static final class Builder {
    private final String name;
    private final Class<? extends Entity> type;
    private String eventType;
    private String stream;
    private String topic;
    private String description = "";
    private boolean collected = true;

    private Builder(String name, Class<? extends Entity> type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** Default: the name in lower case and {@code _updated} ({@code MILESTONE} → {@code milestone_updated}). */
    public Builder eventType(String value) {
      this.eventType = value;
      return this;
    }

    /** Default: the name in lower case ({@code MILESTONE} → {@code milestone}). */
    public Builder stream(String value) {
      this.stream = value;
      return this;
    }

    /** Default: {@code git.} and the stream. */
    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    /**
     * Envelopes of the kind are announced by the engine when it sees something happen (a repository renamed or
     * deleted), never collected by a stream of their own: a sync does not walk it and users do not select it.
     */
    public Builder eventOnly() {
      this.collected = false;
      return this;
    }

    /** What an envelope of the kind holds, and what its timestamp is: one line for the README and {@code --help}. */
    public Builder describedAs(String value) {
      this.description = value;
      return this;
    }

    /**
     * Declares the kind, once per event type: declaring the same kind again returns it; another kind with the same
     * event type or stream is refused.
     */
    public EntityKind declare() {
      String lower = name.toLowerCase(Locale.ROOT);
      String streamName = stream != null ? stream : lower;
      EntityKind kind = new EntityKind(name, eventType != null ? eventType : lower + "_updated", streamName,
          topic != null ? topic : "git." + streamName, type, description, collected);
      synchronized (DECLARED) {
        EntityKind existing = BY_EVENT_TYPE.get(kind.eventType());
        if (existing != null) {
          if (!existing.equals(kind)) {
            throw new IllegalArgumentException("the event type '" + kind.eventType() + "' is declared by "
                + existing.name());
          }
          return existing;
        }
        for (EntityKind other : DECLARED) {
          if (other.stream().equals(kind.stream()) || other.name().equals(kind.name())) {
            throw new IllegalArgumentException("the kind " + kind.name() + " (stream '" + kind.stream()
                + "') clashes with " + other.name() + " (stream '" + other.stream() + "')");
          }
        }
        BY_EVENT_TYPE.put(kind.eventType(), kind);
        DECLARED.add(kind);
        return kind;
      }
    }
  }
}
