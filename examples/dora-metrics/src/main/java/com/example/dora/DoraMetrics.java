package com.example.dora;

import io.gitcollector.core.codec.EnvelopeCodec;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Deployment;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.PullRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The four DORA metrics, per repository and ISO week, from the collector's JSON-lines output:
 *
 * <ul>
 *   <li><b>Deployment frequency</b>: successful deployments to production in the week.
 *   <li><b>Lead time for changes</b>: the median time from a commit to the successful production deployment that
 *       first shipped it (the commits a deployment ships are those reachable from its commit and not from the one
 *       before it, followed through the commits' parents), by the week of the deployment; and the median time from a
 *       pull request's opening to the deployment that shipped its merge commit (when that came after the opening).
 *   <li><b>Change failure rate</b>: the share of finished production deployments of the week that failed.
 *   <li><b>Time to restore service</b>: the median time from a failed production deployment to the next successful
 *       one, by the week of the failure.
 * </ul>
 *
 * <p>A repository without deployments is measured from its CI runs instead: runs whose name matches
 * {@code --deploy-runs} (default {@code (?i)deploy}) on its default branch are its deployments. Every envelope is
 * read once per entity, in its newest version (the output holds each version an entity had).
 *
 * <p>Run: {@code java -cp … com.example.dora.DoraMetrics collector-data [--production production]
 * [--deploy-runs '(?i)deploy']}.
 */
public final class DoraMetrics {

  /** One repository's metrics in one ISO week ({@code 2025-W14}); durations absent when nothing was measured. */
  public record Week(String week, int deployments, Optional<Duration> commitLeadTime,
      Optional<Duration> pullRequestLeadTime, double changeFailureRate, int finishedDeployments,
      Optional<Duration> timeToRestore) {}

  /** A deployment as the metrics see it: the commit it shipped, when it finished, whether it succeeded. */
  record Shipment(String sha, Instant finishedAt, boolean success) {}

  private final String production;
  private final Pattern deployRuns;

  public DoraMetrics(String production, Pattern deployRuns) {
    this.production = production;
    this.deployRuns = deployRuns;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: DoraMetrics <data-dir> [--production NAME] [--deploy-runs REGEX]");
      System.exit(2);
    }
    String production = "production";
    String deployRuns = "(?i)deploy";
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--production" -> production = args[++i];
        case "--deploy-runs" -> deployRuns = args[++i];
        default -> {
          System.err.println("unknown option " + args[i] + " (known: --production, --deploy-runs)");
          System.exit(2);
        }
      }
    }
    Map<String, List<Week>> metrics = new DoraMetrics(production, Pattern.compile(deployRuns))
        .compute(readAll(Path.of(args[0])));
    System.out.println("| repository | week | deployments | lead time (commits) | lead time (pull requests)"
        + " | change failure rate | time to restore |");
    System.out.println("|---|---|---|---|---|---|---|");
    metrics.forEach((repository, weeks) -> weeks.forEach(week -> System.out.printf(Locale.ROOT,
        "| %s | %s | %d | %s | %s | %s | %s |%n", repository, week.week(), week.deployments(),
        show(week.commitLeadTime()), show(week.pullRequestLeadTime()), week.finishedDeployments() == 0 ? "–"
            : String.format(Locale.ROOT, "%.0f %%", 100 * week.changeFailureRate()), show(week.timeToRestore()))));
  }

  private static String show(Optional<Duration> duration) {
    return duration.map(d -> d.toString().substring(2).toLowerCase(Locale.ROOT)).orElse("–");
  }

  /** Every envelope of the JSON-lines files in {@code directory}; a last line without its newline is skipped. */
  public static List<Envelope> readAll(Path directory) throws IOException {
    List<Envelope> envelopes = new ArrayList<>();
    try (var files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
          String line;
          int read = 0;
          while ((line = lines.readLine()) != null) {
            read += line.length() + 1;
            // a crash can leave a last line without its newline: the collector writes that page again
            if (read <= text.length() && !line.isBlank()) {
              envelopes.add(EnvelopeCodec.fromJson(line.getBytes(StandardCharsets.UTF_8)));
            }
          }
        }
      }
    }
    return envelopes;
  }

  /** The metrics of every repository in the envelopes, week by week. */
  public Map<String, List<Week>> compute(List<Envelope> envelopes) {
    Map<String, List<Envelope>> byRepository = new TreeMap<>();
    envelopes.forEach(e -> byRepository.computeIfAbsent(e.repositoryId(), id -> new ArrayList<>()).add(e));
    Map<String, List<Week>> metrics = new LinkedHashMap<>();
    byRepository.forEach((repository, own) -> metrics.put(repository, weeks(own)));
    return metrics;
  }

  private List<Week> weeks(List<Envelope> envelopes) {
    Map<String, Commit> commits = newest(envelopes, Commit.class, Commit::key, c -> Instant.EPOCH);
    Map<String, PullRequest> pulls = newest(envelopes, PullRequest.class, PullRequest::key, PullRequest::updatedAt);
    List<Shipment> shipments = shipments(envelopes);

    Map<String, List<Duration>> commitLeadTimes = new TreeMap<>();
    Map<String, List<Duration>> pullLeadTimes = new TreeMap<>();
    Map<String, Integer> deployed = new TreeMap<>();
    Map<String, Integer> finished = new TreeMap<>();
    Map<String, Integer> failed = new TreeMap<>();
    Map<String, List<Duration>> restores = new TreeMap<>();
    Map<String, PullRequest> pullByMergeCommit = new HashMap<>();
    pulls.values().forEach(p -> p.mergeCommitSha().ifPresent(sha -> pullByMergeCommit.put(sha, p)));
    Set<String> shipped = new HashSet<>();
    Optional<Instant> failingSince = Optional.empty();
    for (Shipment shipment : shipments) {
      String week = week(shipment.finishedAt());
      finished.merge(week, 1, Integer::sum);
      if (!shipment.success()) {
        failed.merge(week, 1, Integer::sum);
        failingSince = failingSince.or(() -> Optional.of(shipment.finishedAt()));
        continue;
      }
      deployed.merge(week, 1, Integer::sum);
      if (failingSince.isPresent()) {
        restores.computeIfAbsent(week(failingSince.get()), w -> new ArrayList<>())
            .add(Duration.between(failingSince.get(), shipment.finishedAt()));
        failingSince = Optional.empty();
      }
      for (String sha : newlyShipped(shipment.sha(), commits, shipped)) {
        Commit commit = commits.get(sha);
        commitLeadTimes.computeIfAbsent(week, w -> new ArrayList<>())
            .add(Duration.between(commit.committer().date(), shipment.finishedAt()));
        PullRequest pull = pullByMergeCommit.get(sha);
        // a merge commit shipped before its pull request was opened (history rewritten, a commit merged again) is
        // no lead time of that pull request
        if (pull != null && !pull.createdAt().isAfter(shipment.finishedAt())) {
          pullLeadTimes.computeIfAbsent(week, w -> new ArrayList<>())
              .add(Duration.between(pull.createdAt(), shipment.finishedAt()));
        }
      }
    }
    Set<String> weeks = new java.util.TreeSet<>(finished.keySet());
    weeks.addAll(restores.keySet());
    List<Week> result = new ArrayList<>();
    for (String week : weeks) {
      int done = finished.getOrDefault(week, 0);
      result.add(new Week(week, deployed.getOrDefault(week, 0), median(commitLeadTimes.get(week)),
          median(pullLeadTimes.get(week)), done == 0 ? 0 : failed.getOrDefault(week, 0) / (double) done, done,
          median(restores.get(week))));
    }
    return result;
  }

  /**
   * The finished production deployments, oldest first; or, without any deployment, the finished runs of the
   * deploying workflow on the default branch.
   */
  private List<Shipment> shipments(List<Envelope> envelopes) {
    Map<String, Deployment> deployments = newest(envelopes, Deployment.class, Deployment::key,
        Deployment::updatedAt);
    List<Shipment> shipments = new ArrayList<>();
    if (!deployments.isEmpty()) {
      for (Deployment deployment : deployments.values()) {
        boolean success = deployment.statuses().stream().anyMatch(s -> s.state().equals("success"));
        boolean failure = !success && List.of("failure", "error").contains(deployment.status());
        if (deployment.environment().equals(production) && (success || failure)) {
          Instant at = deployment.statuses().stream().filter(s -> s.state().equals(success ? "success"
              : deployment.status())).map(Deployment.Status::createdAt).findFirst()
              .orElse(deployment.statusAt().orElse(deployment.updatedAt()));
          shipments.add(new Shipment(deployment.sha(), at, success));
        }
      }
    } else {
      Map<String, CiRun> runs = newest(envelopes, CiRun.class, CiRun::key, CiRun::updatedAt);
      Optional<String> defaultBranch = newest(envelopes, io.gitcollector.core.model.Repository.class,
          io.gitcollector.core.model.Repository::key, io.gitcollector.core.model.Repository::updatedAt).values()
          .stream().map(io.gitcollector.core.model.Repository::defaultBranch).findFirst();
      for (CiRun run : runs.values()) {
        boolean onDefault = defaultBranch.isEmpty() || run.headBranch().equals(defaultBranch);
        if (deployRuns.matcher(run.name()).find() && onDefault && run.finished()
            && List.of("success", "failure").contains(run.status())) {
          shipments.add(new Shipment(run.headSha(), run.finishedAt().orElse(run.updatedAt()),
              run.status().equals("success")));
        }
      }
    }
    shipments.sort(Comparator.comparing(Shipment::finishedAt));
    return shipments;
  }

  /** The commits reachable from {@code sha} through their parents that no earlier shipment reached. */
  private static List<String> newlyShipped(String sha, Map<String, Commit> commits, Set<String> shipped) {
    List<String> fresh = new ArrayList<>();
    Deque<String> pending = new ArrayDeque<>(List.of(sha));
    while (!pending.isEmpty()) {
      String next = pending.pop();
      Commit commit = commits.get(next);
      if (commit == null || !shipped.add(next)) {
        continue;
      }
      fresh.add(next);
      pending.addAll(commit.parents());
    }
    return fresh;
  }

  /** Each entity of a type once, in its newest version. */
  private static <T extends Entity> Map<String, T> newest(List<Envelope> envelopes, Class<T> type,
      Function<T, String> key, Function<T, Instant> time) {
    Map<String, T> newest = new LinkedHashMap<>();
    for (Envelope envelope : envelopes) {
      if (type.isInstance(envelope.data())) {
        T entity = type.cast(envelope.data());
        newest.merge(key.apply(entity), entity, (old, fresh) -> time.apply(fresh).isBefore(time.apply(old)) ? old
            : fresh);
      }
    }
    return newest;
  }

  private static Optional<Duration> median(List<Duration> durations) {
    if (durations == null || durations.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = durations.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return Optional.of(sorted.size() % 2 == 1 ? sorted.get(middle)
        : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2));
  }

  /** The ISO week of an instant, in UTC: {@code 2025-W14}. */
  static String week(Instant at) {
    LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate().with(DayOfWeek.MONDAY);
    return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
        day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }
}
