package io.gitcollector.server.cli;

import io.gitcollector.core.engine.CollectionPlan;
import io.gitcollector.core.engine.Discovery;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.RepositoryFilter;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.CollectorException;
import io.gitcollector.core.model.DiscoveredRepository;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.OrganizationRef;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.SyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code collect <url>}: one sync of a repository, or of every repository of an organization (group, workspace), into
 * the embedded default (JSON lines and a file state store).
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = "Collects one repository, or every repository of an organization, group or workspace, into"
        + " JSON-lines files under the data directory.")
public final class CollectCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<url>",
      description = "a repository (https://github.com/owner/repo, git@github.com:owner/repo.git, …) or an"
          + " organization (https://github.com/ORG, https://bitbucket.org/WORKSPACE, a GitLab group with"
          + " --organization)")
  String url;

  @Option(names = "--organization", description = "The URL names an organization, group or workspace (implied by a"
      + " URL of one path segment; needed for a GitLab subgroup such as https://gitlab.example.com/group/sub).")
  boolean organization;

  @Option(names = "--full", description = "Walk all history again instead of only what changed.")
  boolean full;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where envelopes and state go (default: $COLLECTOR_DATA_DIR or ./collector-data).")
  Path dataDir;

  @Option(names = "--concurrency", defaultValue = "4", description = "Streams collected in parallel (default 4).")
  int concurrency;

  @Option(names = "--commit-files",
      description = "Also collect per-file changes of each commit (one extra request per commit on GitHub).")
  boolean commitFiles;

  @Option(names = "--kinds", paramLabel = "KIND[,KIND…]",
      description = "Collect only these kinds, by stream name (commits,pull_requests,issues,…) or all"
          + " (default: $COLLECTOR_KINDS or every kind the platform serves).")
  String kinds;

  @Option(names = "--plan", description = "Organization: list it and print what collecting it would cost (requests,"
      + " rate-limit points per token, wall time), then stop without collecting or announcing anything.")
  boolean plan;

  @Option(names = "--include", paramLabel = "PATTERN", split = ",",
      description = "Organization: collect only repositories whose path below it matches (api-*, team/**).")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "PATTERN", split = ",",
      description = "Organization: leave out repositories whose path below it matches.")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--no-forks", description = "Organization: leave out forks.")
  boolean noForks;

  @Option(names = "--no-archived", description = "Organization: leave out archived repositories.")
  boolean noArchived;

  @Option(names = "--visibility", paramLabel = "public|private|internal", split = ",",
      description = "Organization: collect only repositories of these visibilities.")
  List<String> visibility = new ArrayList<>();

  @Option(names = "--topics", paramLabel = "TOPIC", split = ",",
      description = "Organization: collect only repositories with one of these topics.")
  List<String> topics = new ArrayList<>();

  @Override
  public Integer call() {
    boolean anOrganization = organization || namesAnOrganization(url);
    if (plan && !anOrganization) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--plan takes an organization, group or"
          + " workspace URL (https://github.com/ORG, or --organization for a GitLab subgroup), not a repository");
    }
    io.gitcollector.server.ClientChatterFilter.quietForTheCommandLine(System.getenv());
    Environment environment = Environment.system().check();
    Path directory = dataDir != null ? dataDir : environment.dataDirectory();
    ProgressPrinter progress = new ProgressPrinter(System.err, ProgressPrinter.stderrIsTerminal(System.getenv()));
    GitCollector.Builder builder = environment.collector();
    if (commitFiles) {
      PlatformConfig github = environment.githubConfig().orElse(PlatformConfig.empty());
      builder.platform("github", github.newBuilder().setting("commit_files", "true").build());
    }
    if (kinds != null) {
      builder.kinds(EntityKind.parse(kinds, "--kinds"));
    }
    try (GitCollector collector = builder
        .dataDirectory(directory)
        .concurrency(concurrency)
        .listener(progress)
        .build()) {
      Thread onSignal = stopOnSignal(collector);
      try {
        if (anOrganization) {
          return collectOrganization(collector, progress, directory);
        }
        SyncResult result = collector.sync(url, full ? SyncMode.FULL : SyncMode.INCREMENTAL);
        progress.summary(result);
        System.err.println(destination(collector, directory));
        return 0;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs: it ends the JVM with this command's exit code
        }
      }
    }
  }

  /** How long SIGTERM waits for the page in flight before the JVM ends anyway. */
  static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(60);

  /**
   * SIGTERM or Ctrl-C while collecting: the collection stops after the pages in flight (their cursors saved), the
   * command reports it ("stopped for shutdown after …", exit 17, documented), and the JVM ends with that code instead
   * of the signal's 143.
   */
  private static Thread stopOnSignal(GitCollector collector) {
    java.util.concurrent.CompletableFuture<Integer> exit = io.gitcollector.server.Main.currentRun();
    Thread hook = new Thread(() -> {
      System.err.println("stopping: the collection ends after the page in flight; the next run goes on from there");
      collector.stopAfterCurrentPages();
      int code;
      try {
        code = exit.get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.err.println("error: the page in flight did not finish within " + STOP_GRACE.toSeconds() + " s;"
            + " stopping without it (its cursor was not saved: the next run fetches it again)");
        code = io.gitcollector.server.Main.exitCode(io.gitcollector.core.model.ErrorCode.CANCELLED);
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        code = io.gitcollector.server.Main.exitCode(io.gitcollector.core.model.ErrorCode.CANCELLED);
      }
      System.err.flush();
      Runtime.getRuntime().halt(code);
    }, "collect-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Where the envelopes went: the data directory for the embedded default, else the sink (Kafka: its topics). */
  private static String destination(GitCollector collector, Path directory) {
    String sink = collector.sink().describe();
    return sink.startsWith("jsonl:") ? "envelopes are in " + directory.toAbsolutePath()
        : "envelopes went to " + sink;
  }

  /** The plan in a few lines: the totals, how they were estimated, each token's share and what sets the time. */
  static String describe(Discovery discovery, CollectionPlan plan) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "plan for %s (%s): %,d of %,d repositories listed, about %,d requests and"
        + " %,d rate-limit points%n", plan.organizationId(), plan.mode().name().toLowerCase(Locale.ROOT),
        plan.repositories(), discovery.listed().size(), plan.requests(), plan.points()));
    CollectionPlan.Basis basis = plan.basis();
    text.append(String.format(Locale.ROOT, "  estimated: %,d at their last full sync's cost, %,d from their size at the"
        + " cost per KB of those, %,d at one request per stream and per MB (nothing measured yet), %,d incremental"
        + " (one request per stream)%n", basis.measured(), basis.sized(), basis.defaulted(), basis.incremental()));
    for (CollectionPlan.TokenShare share : plan.tokens()) {
      text.append(String.format(Locale.ROOT, "  token %s: %,d repositories, %,d points; %s%n", share.token(),
          share.repositories(), share.points(), share.budget().map(b -> String.format(Locale.ROOT,
              "%,d of %,d left until %s", b.remaining(), b.limit(), b.reset())).orElse("budget not announced yet")
              + (share.resets() == 0 ? "" : String.format(Locale.ROOT, "; waits for %,d reset(s): about %s",
                  share.resets(), human(share.time())))));
    }
    text.append(String.format(Locale.ROOT, "  wall time: about %s (%s; the requests alone take %s at %s each, %d at"
        + " a time)%n", human(plan.wallTime()), plan.rateLimited() ? "rate-limited" : "not rate-limited",
        human(plan.requestTime()), human(plan.latency()), plan.concurrency()));
    return text.toString();
  }

  /** {@code 1h 10m}, {@code 7m 30s}, {@code 2.4 s}, {@code 25 ms}. */
  static String human(Duration duration) {
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      return duration.toMillis() + " ms";
    }
    if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
      return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
    if (duration.compareTo(Duration.ofHours(1)) < 0) {
      return duration.toMinutesPart() + "m " + duration.toSecondsPart() + "s";
    }
    return duration.toHours() + "h " + duration.toMinutesPart() + "m";
  }

  /** A URL of one path segment names an owner; anything unreadable is left to the repository's reading to explain. */
  private static boolean namesAnOrganization(String url) {
    try {
      return OrganizationRef.parse(url).pathSegments().size() == 1;
    } catch (io.gitcollector.core.model.MalformedRepositoryUrlException e) {
      return false;
    }
  }

  /**
   * Lists the organization, announces what moved or went since the last run, then collects each selected repository
   * in turn; a repository that fails is reported and the others are still collected. The exit code is the first
   * failure's.
   */
  private int collectOrganization(GitCollector collector, ProgressPrinter progress, Path directory) {
    RepositoryFilter filter = RepositoryFilter.builder().include(include.toArray(String[]::new))
        .exclude(exclude.toArray(String[]::new)).forks(!noForks).archived(!noArchived)
        .visibility(visibility.toArray(String[]::new)).topics(topics.toArray(String[]::new)).build();
    GitCollector.OrganizationTarget target = collector.organization(url);
    Discovery discovery = collector.discover(target, filter);
    SyncMode mode = full ? SyncMode.FULL : SyncMode.INCREMENTAL;
    CollectionPlan estimate = collector.plan(target, discovery, mode);
    if (plan) {
      // a plan changes nothing: the listing is not settled, so the next run still reports what changed
      System.out.print(describe(discovery, estimate));
      return 0;
    }
    System.err.print(describe(discovery, estimate));
    collector.settle(target, discovery);
    System.err.printf(Locale.ROOT, "%s: %,d repositories listed, %,d selected; %d pages (%d unchanged), %d requests;"
        + " since the last run %d added, %d renamed, %d archived, %d gone%n", target.organizationId(),
        discovery.listed().size(), discovery.selected().size(), discovery.pages(), discovery.unchangedPages(),
        discovery.requests(), discovery.added().size(), discovery.renamed().size(), discovery.archived().size(),
        discovery.departed().size());
    discovery.departed().forEach(d -> System.err.println("  " + d.repository().repository() + ": "
        + d.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + d.movedTo().map(to -> " to " + to).orElse("")));
    Optional<CollectorException> firstFailure = Optional.empty();
    int failed = 0;
    long requests = 0;
    long started = System.nanoTime();
    for (DiscoveredRepository repository : discovery.selected()) {
      try {
        SyncResult result = collector.sync(collector.target(target.platformId(), repository.repository()), mode);
        requests += result.requests();
        progress.summary(result);
      } catch (CollectorException e) {
        failed++;
        firstFailure = firstFailure.or(() -> Optional.of(e));
        System.err.println("failed " + repository.repository() + ": " + e.getMessage());
      }
    }
    System.err.printf(Locale.ROOT, "%s: %,d of %,d repositories collected, %,d requests in %s (planned: about %,d"
        + " requests, %s)%n", target.organizationId(), discovery.selected().size() - failed,
        discovery.selected().size(), requests, human(Duration.ofNanos(System.nanoTime() - started)),
        estimate.requests(), human(estimate.wallTime()));
    System.err.println(destination(collector, directory));
    if (firstFailure.isPresent()) {
      throw firstFailure.get();
    }
    return 0;
  }
}
