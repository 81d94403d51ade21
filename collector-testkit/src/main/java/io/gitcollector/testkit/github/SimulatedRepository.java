package io.gitcollector.testkit.github;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A synthetic repository whose entities are computed from their index, so that a million commits cost no memory: a
 * linear history (commit {@code i}'s parent is {@code i - 1}), pull requests with reviews, and contributors derived
 * from commit authors. Mutations (new commits, updated pull requests) advance a virtual clock, and the ground-truth
 * accessors say exactly what a complete collection must contain.
 */
public final class SimulatedRepository {
  /** When simulated history begins unless the spec says otherwise ({@link RepositorySpec#startingAt}). */
  public static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");
  /**
   * The number of the first issue. GitHub numbers issues and pull requests in one sequence; the simulator gives issues
   * their own range so that pull requests can still be added as 1, 2, 3, … and never take an issue's number.
   */
  public static final long FIRST_ISSUE = 100_001;

  private final long databaseId;
  private volatile String owner;
  private volatile String name;
  private final int contributorCount;
  private final int reviewsPerPullRequest;
  private final boolean privateRepository;
  private final long hashSeed;

  private int commitCount;
  private long[] pullUpdatedAt = new long[0];
  private int[] pullReviewCount = new int[0];
  private long[][] pullExtraReviewTimes = new long[0][];
  private int pullCount;
  private long clock;
  private long pushedAt;
  private long repositoryUpdatedAt;
  private long commitsVersion;
  private long pullsVersion;
  private long repositoryVersion;
  private Integer[] updatedOrder;
  private final int commentsPerIssue;
  private int issueCount;
  private long[] issueUpdatedAt = new long[0];
  private long[][] issueExtraCommentTimes = new long[0][];
  private int[] issueInitialComments = new int[0];
  private long issuesVersion;
  private int[] releaseEdits = new int[0];
  private long releasesVersion;
  private long[] ciCreated = new long[0];
  private long[] ciUpdated = new long[0];
  private int[] ciAttempt = new int[0];
  private String[] ciStatus = new String[0];
  private long ciVersion;
  private final List<List<String[]>> deploymentStatuses = new ArrayList<>();
  private final List<Long> deploymentCreated = new ArrayList<>();
  private long deploymentsVersion;

  /** When this repository's history begins: its first commit, pull request, issue, … are counted from here. */
  private final long epochSeconds;

  public SimulatedRepository(long databaseId, String owner, String name, RepositorySpec spec) {
    this.epochSeconds = spec.epoch().getEpochSecond();
    this.databaseId = databaseId;
    this.owner = owner;
    this.name = name;
    this.contributorCount = spec.contributors();
    this.reviewsPerPullRequest = spec.reviewsPerPullRequest();
    this.privateRepository = spec.privateRepository();
    this.hashSeed = mix(databaseId * 0x9E3779B97F4A7C15L + owner.hashCode() * 31L + name.hashCode());
    this.commitCount = spec.commits();
    this.commentsPerIssue = spec.commentsPerIssue();
    this.clock = epochSeconds + Math.max(Math.max(spec.commits() * 60L, spec.pullRequests() * 3600L + 7200),
        Math.max(Math.max(spec.issues() * 600L + spec.commentsPerIssue() * 60L + 3600, spec.ciRuns() * 60L + 7200),
            spec.deployments() * 3_600L + 7_600)) + 60;
    this.pushedAt = commitCount == 0 ? epochSeconds : committedAtSeconds(commitCount - 1);
    this.repositoryUpdatedAt = pushedAt;
    addPullRequestsInternal(spec.pullRequests(), false);
    addIssuesInternal(spec.issues(), false);
    releaseEdits = new int[spec.releases()];
    addCiRunsInternal(spec.ciRuns(), false);
    for (int i = 0; i < spec.deployments(); i++) {
      long created = epochSeconds + 7_200 + i * 3_600L;
      deploymentCreated.add(created);
      List<String[]> statuses = new ArrayList<>();
      statuses.add(new String[] {"pending", Long.toString(created + 10)});
      statuses.add(new String[] {"in_progress", Long.toString(created + 20)});
      if (i < spec.deployments() - 1) {
        statuses.add(new String[] {i % 8 == 5 ? "failure" : "success", Long.toString(created + 300)});
      }
      deploymentStatuses.add(statuses);
    }
  }

  /** Deploys a commit: a new deployment, pending. */
  public synchronized void addDeployments(int count) {
    for (int i = 0; i < count; i++) {
      List<String[]> statuses = new ArrayList<>();
      long created = ++clock;
      deploymentCreated.add(created);
      statuses.add(new String[] {"pending", Long.toString(created)});
      deploymentStatuses.add(statuses);
    }
    deploymentsVersion++;
  }

  /** Gives deployment {@code index} a new status ({@code success}, {@code inactive}, …). */
  public synchronized void setDeploymentStatus(int index, String state) {
    deploymentStatuses.get(index).add(new String[] {state, Long.toString(++clock)});
    deploymentsVersion++;
  }

  private void addCiRunsInternal(int count, boolean later) {
    int from = ciCreated.length;
    ciCreated = Arrays.copyOf(ciCreated, from + count);
    ciUpdated = Arrays.copyOf(ciUpdated, from + count);
    ciAttempt = Arrays.copyOf(ciAttempt, from + count);
    ciStatus = Arrays.copyOf(ciStatus, from + count);
    for (int i = from; i < from + count; i++) {
      ciCreated[i] = later ? ++clock : epochSeconds + 3_600 + i * 60L;
      ciAttempt[i] = 1;
      boolean newest = !later && i >= from + count - 2;
      ciStatus[i] = later ? "queued" : newest ? (i == from + count - 1 ? "queued" : "in_progress")
          : "completed/" + (i % 25 == 7 ? "cancelled" : i % 10 == 3 ? "failure" : "success");
      ciUpdated[i] = ciStatus[i].startsWith("completed") ? ciCreated[i] + 120 : ciCreated[i];
    }
  }

  public String owner() {
    return owner;
  }

  public String name() {
    return name;
  }

  public String fullName() {
    return owner + "/" + name;
  }

  public long databaseId() {
    return databaseId;
  }

  public boolean isPrivate() {
    return privateRepository;
  }

  // ---- mutations ----

  private boolean fork;
  private boolean archived;
  private List<String> topics = List.of();

  /** Marks the repository a fork (as listings show it). */
  public synchronized SimulatedRepository markFork() {
    fork = true;
    repositoryVersion++;
    return this;
  }

  /** Archives the repository: read-only from now on, as listings and its metadata show. */
  public synchronized SimulatedRepository archive() {
    archived = true;
    repositoryVersion++;
    return this;
  }

  /** Sets the repository's topics. */
  public synchronized SimulatedRepository topics(String... names) {
    topics = List.of(names);
    repositoryVersion++;
    return this;
  }

  public synchronized boolean isFork() {
    return fork;
  }

  public synchronized boolean isArchived() {
    return archived;
  }

  public synchronized List<String> topicNames() {
    return topics;
  }

  /** Renames the repository in place; its data stays the same. */
  public synchronized SimulatedRepository renamedTo(String newOwner, String newName) {
    this.owner = newOwner;
    this.name = newName;
    repositoryVersion++;
    return this;
  }

  /** Pushes {@code count} new commits on the default branch. */
  public synchronized void addCommits(int count) {
    commitCount += count;
    clock = Math.max(clock, committedAtSeconds(commitCount - 1)) + 1;
    pushedAt = committedAtSeconds(commitCount - 1);
    repositoryUpdatedAt = clock;
    commitsVersion++;
    repositoryVersion++;
  }

  /** Opens {@code count} new pull requests. */
  public synchronized void addPullRequests(int count) {
    addPullRequestsInternal(count, true);
  }

  /**
   * Updates the given pull requests: each gets one more review and a new {@code updated_at}.
   *
   * @return their numbers
   */
  public synchronized List<Long> updatePullRequests(long... numbers) {
    return update(false, numbers);
  }

  /**
   * Updates the given pull requests at one and the same second, as a bulk edit (a label added to many) does: their
   * update times tie.
   *
   * @return their numbers
   */
  public synchronized List<Long> updatePullRequestsAtOnce(long... numbers) {
    return update(true, numbers);
  }

  private List<Long> update(boolean atOnce, long... numbers) {
    List<Long> updated = new ArrayList<>();
    long together = ++clock;
    for (long number : numbers) {
      int index = (int) number - 1;
      if (index < 0 || index >= pullCount) {
        throw new IllegalArgumentException("no pull request #" + number);
      }
      long at = atOnce ? together : updated.isEmpty() ? together : ++clock;
      pullUpdatedAt[index] = at;
      long[] extra = pullExtraReviewTimes[index];
      long[] grown = extra == null ? new long[1] : Arrays.copyOf(extra, extra.length + 1);
      grown[grown.length - 1] = at;
      pullExtraReviewTimes[index] = grown;
      pullReviewCount[index]++;
      updated.add(number);
    }
    pullsVersion++;
    updatedOrder = null;
    return updated;
  }

  private void addPullRequestsInternal(int count, boolean advanceClock) {
    int newCount = pullCount + count;
    if (newCount > pullUpdatedAt.length) {
      int capacity = Math.max(newCount, pullUpdatedAt.length * 2);
      pullUpdatedAt = Arrays.copyOf(pullUpdatedAt, capacity);
      pullReviewCount = Arrays.copyOf(pullReviewCount, capacity);
      pullExtraReviewTimes = Arrays.copyOf(pullExtraReviewTimes, capacity);
    }
    for (int i = pullCount; i < newCount; i++) {
      pullUpdatedAt[i] = advanceClock ? ++clock : pullCreatedAtSeconds(i + 1) + 7200;
      pullReviewCount[i] = advanceClock ? 0 : reviewsPerPullRequest;
    }
    pullCount = newCount;
    if (count > 0) {
      pullsVersion++;
      updatedOrder = null;
    }
  }

  /** Opens {@code count} new issues, without comments. */
  public synchronized void addIssues(int count) {
    addIssuesInternal(count, true);
  }

  /**
   * Comments on the given issues: each gets one more comment and a new {@code updated_at}.
   *
   * @return their numbers
   */
  public synchronized List<Long> commentOnIssues(long... numbers) {
    List<Long> updated = new ArrayList<>();
    for (long number : numbers) {
      int index = issueIndex(number);
      long at = ++clock;
      issueUpdatedAt[index] = at;
      long[] extra = issueExtraCommentTimes[index];
      long[] grown = Arrays.copyOf(extra, extra.length + 1);
      grown[grown.length - 1] = at;
      issueExtraCommentTimes[index] = grown;
      updated.add(number);
    }
    issuesVersion++;
    return updated;
  }

  /** Publishes {@code count} new releases. */
  public synchronized void addReleases(int count) {
    releaseEdits = Arrays.copyOf(releaseEdits, releaseEdits.length + count);
    releasesVersion++;
  }

  /** Edits the release of {@code tag}: a new name and new notes. */
  public synchronized void editRelease(String tag) {
    releaseEdits[releaseIndex(tag)]++;
    releasesVersion++;
  }

  /** Triggers {@code count} new CI runs, queued. */
  public synchronized void addCiRuns(int count) {
    ciVersion++;
    addCiRunsInternal(count, true);
  }

  /** Finishes every queued or running CI run, successfully. */
  public synchronized List<Long> finishCiRuns() {
    ciVersion++;
    List<Long> finished = new ArrayList<>();
    for (int i = 0; i < ciStatus.length; i++) {
      if (!ciStatus[i].startsWith("completed")) {
        ciStatus[i] = "completed/success";
        ciUpdated[i] = ++clock;
        finished.add(ciRunId(i));
      }
    }
    return finished;
  }

  /** Runs a CI run again: its next attempt, queued. */
  public synchronized void rerunCiRun(long id) {
    int index = (int) (id - ciRunId(0));
    ciVersion++;
    ciAttempt[index]++;
    ciStatus[index] = "queued";
    ciUpdated[index] = ++clock;
  }

  private void addIssuesInternal(int count, boolean advanceClock) {
    int newCount = issueCount + count;
    issueUpdatedAt = Arrays.copyOf(issueUpdatedAt, Math.max(newCount, issueUpdatedAt.length));
    issueExtraCommentTimes = Arrays.copyOf(issueExtraCommentTimes, issueUpdatedAt.length);
    issueInitialComments = Arrays.copyOf(issueInitialComments, issueUpdatedAt.length);
    for (int i = issueCount; i < newCount; i++) {
      long number = FIRST_ISSUE + i;
      issueUpdatedAt[i] = advanceClock ? ++clock : issueCreatedAtSeconds(number) + commentsPerIssue * 60L + 1800;
      issueExtraCommentTimes[i] = new long[0];
      issueInitialComments[i] = advanceClock ? 0 : commentsPerIssue;
    }
    issueCount = newCount;
    if (count > 0) {
      issuesVersion++;
    }
  }

  private int issueIndex(long number) {
    long index = number - FIRST_ISSUE;
    if (index < 0 || index >= issueCount) {
      throw new IllegalArgumentException("no issue #" + number);
    }
    return (int) index;
  }

  // ---- ground truth ----

  public synchronized int commitCount() {
    return commitCount;
  }

  public synchronized int pullRequestCount() {
    return pullCount;
  }

  /** Every commit sha of the default branch. */
  public synchronized Set<String> commitShas() {
    Set<String> shas = new HashSet<>(commitCount * 2);
    for (int i = 0; i < commitCount; i++) {
      shas.add(sha(i));
    }
    return shas;
  }

  /** Shas of the commits with index {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
  public synchronized List<String> commitShas(int from, int to) {
    List<String> shas = new ArrayList<>();
    for (int i = from; i < to; i++) {
      shas.add(sha(i));
    }
    return shas;
  }

  /** Pull request number to its current {@code updated_at}. */
  public synchronized Map<Long, Instant> pullRequestVersions() {
    Map<Long, Instant> versions = new LinkedHashMap<>();
    for (int i = 0; i < pullCount; i++) {
      versions.put((long) i + 1, Instant.ofEpochSecond(pullUpdatedAt[i]));
    }
    return versions;
  }

  /** Pull request number to the ids of its reviews. */
  public synchronized Map<Long, List<Long>> reviewIds() {
    Map<Long, List<Long>> ids = new HashMap<>();
    for (int i = 0; i < pullCount; i++) {
      List<Long> reviews = new ArrayList<>();
      for (int r = 0; r < pullReviewCount[i]; r++) {
        reviews.add(reviewId(i + 1, r));
      }
      ids.put((long) i + 1, reviews);
    }
    return ids;
  }

  /** Contributor login to number of commits. */
  public synchronized Map<String, Long> contributorCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int a = 0; a < Math.min(contributorCount, Math.max(commitCount, 0)); a++) {
      counts.put(login(a), (long) authoredBy(a));
    }
    return counts;
  }

  // ---- entity data, read by the simulator ----

  public synchronized int issueCount() {
    return issueCount;
  }

  /** Whether {@code number} is one of the repository's issues. */
  public synchronized boolean hasIssue(long number) {
    return number >= FIRST_ISSUE && number < FIRST_ISSUE + issueCount;
  }

  /** Every issue's number and update time: what a complete collection of issues holds. */
  public synchronized Map<Long, Instant> issueVersions() {
    Map<Long, Instant> versions = new java.util.TreeMap<>();
    for (int i = 0; i < issueCount; i++) {
      versions.put(FIRST_ISSUE + i, Instant.ofEpochSecond(issueUpdatedAt[i]));
    }
    return versions;
  }

  public long issueCreatedAtSeconds(long number) {
    return epochSeconds + (number - FIRST_ISSUE) * 600L + 30;
  }

  public synchronized long issueUpdatedAtSeconds(long number) {
    return issueUpdatedAt[issueIndex(number)];
  }

  /** Comments of an issue: those it started with, then those added since. */
  public synchronized int issueCommentCount(long number) {
    int index = issueIndex(number);
    return issueInitialComments[index] + issueExtraCommentTimes[index].length;
  }

  public synchronized long issueCommentAtSeconds(long number, int comment) {
    int index = issueIndex(number);
    int initial = issueInitialComments[index];
    return comment < initial ? issueCreatedAtSeconds(number) + (comment + 1) * 60L
        : issueExtraCommentTimes[index][comment - initial];
  }

  public long issueCommentId(long number, int comment) {
    return number * 1_000L + comment;
  }

  /** {@code open} or {@code closed}: every third issue is closed, every sixth as not planned. */
  public String issueState(long number) {
    return (number - FIRST_ISSUE) % 3 == 2 ? "closed" : "open";
  }

  public synchronized long issuesVersion() {
    return issuesVersion;
  }

  /** Issue numbers by {@code updated_at} descending, then number descending. */
  public synchronized List<Long> issueNumbersByUpdatedDescending() {
    List<Long> numbers = new ArrayList<>(issueVersions().keySet());
    numbers.sort(Comparator.<Long>comparingLong(n -> issueUpdatedAt[(int) (n - FIRST_ISSUE)]).reversed()
        .thenComparing(Comparator.<Long>reverseOrder()));
    return numbers;
  }

  public synchronized int releaseCount() {
    return releaseEdits.length;
  }

  public static String releaseTag(int index) {
    return "v1." + index + ".0";
  }

  public int releaseIndex(String tag) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("v1\\.(\\d+)\\.0").matcher(tag);
    int index = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    synchronized (this) {
      if (index < 0 || index >= releaseEdits.length) {
        throw new IllegalArgumentException("no release " + tag);
      }
    }
    return index;
  }

  /** The release's name: what a collection of releases holds in its current version. */
  public synchronized String releaseName(int index) {
    return "Release " + releaseTag(index) + (releaseEdits[index] == 0 ? "" : " (edit " + releaseEdits[index] + ")");
  }

  public synchronized String releaseNotes(int index) {
    return "Notes of " + releaseTag(index) + "." + " Revised.".repeat(releaseEdits[index]);
  }

  public boolean releaseIsDraft(int index) {
    return index % 10 == 9;
  }

  public boolean releaseIsPrerelease(int index) {
    return index % 5 == 4;
  }

  public long releaseCreatedAtSeconds(int index) {
    return epochSeconds + (index + 1) * 86_400L + 7;
  }

  /** The commit a release's tag points at: a fixed one of the history (tags do not move when others are added). */
  public synchronized String releaseTarget(int index) {
    return sha((int) (index * 7L % Math.max(1, commitCount)));
  }

  /** Every release's tag and name: the ground truth of a complete collection of releases. */
  public synchronized Map<String, String> releaseNames() {
    Map<String, String> names = new java.util.TreeMap<>();
    for (int i = 0; i < releaseEdits.length; i++) {
      names.put(releaseTag(i), releaseName(i));
    }
    return names;
  }

  public synchronized int deploymentCount() {
    return deploymentStatuses.size();
  }

  public long deploymentId(int index) {
    return 9_000_000L + index;
  }

  public synchronized long deploymentCreatedAtSeconds(int index) {
    return deploymentCreated.get(index);
  }

  public String deploymentEnvironment(int index) {
    return index % 4 == 0 ? "staging" : "production";
  }

  public String deploymentSha(int index) {
    return sha((int) (index * 3L % Math.max(1, commitCount())));
  }

  /** A deployment's statuses, oldest first: state and time (epoch seconds). */
  public synchronized List<String[]> deploymentStatuses(int index) {
    return List.copyOf(deploymentStatuses.get(index));
  }

  /** When its last status came: its {@code updated_at}. */
  public synchronized long deploymentUpdatedAtSeconds(int index) {
    List<String[]> statuses = deploymentStatuses.get(index);
    return Long.parseLong(statuses.get(statuses.size() - 1)[1]);
  }

  /** Every deployment's id and latest state: the ground truth of a complete collection of deployments. */
  public synchronized Map<Long, String> deploymentStates() {
    Map<Long, String> states = new java.util.TreeMap<>();
    for (int i = 0; i < deploymentStatuses.size(); i++) {
      List<String[]> statuses = deploymentStatuses.get(i);
      states.put(deploymentId(i), statuses.get(statuses.size() - 1)[0]);
    }
    return states;
  }

  public synchronized long deploymentsVersion() {
    return deploymentsVersion;
  }

  public synchronized long ciVersion() {
    return ciVersion;
  }

  public synchronized int ciRunCount() {
    return ciCreated.length;
  }

  public long ciRunId(int index) {
    return 7_000_000L + index;
  }

  public synchronized long ciCreatedAtSeconds(int index) {
    return ciCreated[index];
  }

  public synchronized long ciUpdatedAtSeconds(int index) {
    return ciUpdated[index];
  }

  /** GitHub's status, and after a {@code /} its conclusion: {@code queued}, {@code completed/failure}, … */
  public synchronized String ciStatus(int index) {
    return ciStatus[index];
  }

  public synchronized int ciAttempt(int index) {
    return ciAttempt[index];
  }

  /** Every run's id and update time: the ground truth of a complete collection of CI runs. */
  public synchronized Map<Long, Instant> ciRunVersions() {
    Map<Long, Instant> versions = new java.util.TreeMap<>();
    for (int i = 0; i < ciCreated.length; i++) {
      versions.put(ciRunId(i), Instant.ofEpochSecond(ciUpdated[i]));
    }
    return versions;
  }

  public synchronized long releasesVersion() {
    return releasesVersion;
  }

  public synchronized long commitsVersion() {
    return commitsVersion;
  }

  public synchronized long pullsVersion() {
    return pullsVersion;
  }

  public synchronized long repositoryVersion() {
    return repositoryVersion;
  }

  public synchronized Instant pushedAt() {
    return Instant.ofEpochSecond(pushedAt);
  }

  public synchronized Instant updatedAt() {
    return Instant.ofEpochSecond(repositoryUpdatedAt);
  }

  public Instant createdAt() {
    return Instant.ofEpochSecond(epochSeconds - 86_400);
  }

  public String sha(int index) {
    long a = mix(hashSeed ^ (index * 0xD1B54A32D192ED03L));
    long b = mix(a ^ 0x94D049BB133111EBL);
    return String.format(Locale.ROOT, "%016x%016x%08x", a, b, index);
  }

  /** The index encoded in a sha of this repository, or -1. */
  public int indexOf(String sha) {
    if (sha == null || sha.length() != 40) {
      return -1;
    }
    try {
      int index = (int) Long.parseLong(sha.substring(32), 16);
      synchronized (this) {
        return index >= 0 && index < commitCount && sha(index).equals(sha) ? index : -1;
      }
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public long committedAtSeconds(int index) {
    return epochSeconds + index * 60L;
  }

  public int authorOf(int commitIndex) {
    return commitIndex % contributorCount;
  }

  public String login(int author) {
    return "dev" + author;
  }

  public String authorName(int author) {
    return "Developer " + author;
  }

  public String authorEmail(int author) {
    return "dev" + author + "@example.com";
  }

  public int additions(int index) {
    return 1 + (int) Math.floorMod(mix(hashSeed + index), 400L);
  }

  public int deletions(int index) {
    return (int) Math.floorMod(mix(hashSeed - index), 120L);
  }

  public int changedFiles(int index) {
    return 1 + index % 5;
  }

  private long authoredBy(int author) {
    if (author >= commitCount) {
      return 0;
    }
    return (commitCount - 1 - author) / contributorCount + 1;
  }

  public long pullCreatedAtSeconds(long number) {
    return epochSeconds + number * 3600L;
  }

  public synchronized long pullUpdatedAtSeconds(long number) {
    return pullUpdatedAt[(int) number - 1];
  }

  public synchronized int pullReviewCount(long number) {
    return pullReviewCount[(int) number - 1];
  }

  /** open, closed or merged; open ones are every tenth. */
  public String pullState(long number) {
    if (number % 10 == 0) {
      return "open";
    }
    return number % 3 == 0 ? "closed" : "merged";
  }

  public long reviewId(long number, int review) {
    return number * 10_000L + review;
  }

  public String reviewState(long number, int review) {
    return switch ((int) ((number + review) % 3)) {
      case 0 -> "APPROVED";
      case 1 -> "COMMENTED";
      default -> "CHANGES_REQUESTED";
    };
  }

  public synchronized long reviewSubmittedAtSeconds(long number, int review) {
    long[] extra = pullExtraReviewTimes[(int) number - 1];
    int initial = pullReviewCount[(int) number - 1] - (extra == null ? 0 : extra.length);
    return review < initial ? pullCreatedAtSeconds(number) + (review + 1) * 600L : extra[review - initial];
  }

  /** Pull request numbers by {@code updated_at} descending, then number descending. */
  public synchronized Integer[] numbersByUpdatedDescending() {
    if (updatedOrder == null) {
      Integer[] order = new Integer[pullCount];
      for (int i = 0; i < pullCount; i++) {
        order[i] = i + 1;
      }
      Arrays.sort(order, Comparator.<Integer>comparingLong(n -> pullUpdatedAt[n - 1]).reversed()
          .thenComparing(Comparator.<Integer>reverseOrder()));
      updatedOrder = order;
    }
    return updatedOrder;
  }

  public int contributorCount() {
    return contributorCount;
  }

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
