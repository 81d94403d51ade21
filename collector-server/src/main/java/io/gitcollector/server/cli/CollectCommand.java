package io.gitcollector.server.cli;

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
    Environment environment = Environment.system().check();
    Path directory = dataDir != null ? dataDir : environment.dataDirectory();
    ProgressPrinter progress = new ProgressPrinter(System.err);
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
      if (organization || namesAnOrganization(url)) {
        return collectOrganization(collector, progress, directory);
      }
      SyncResult result = collector.sync(url, full ? SyncMode.FULL : SyncMode.INCREMENTAL);
      progress.summary(result);
      System.err.println("envelopes are in " + directory.toAbsolutePath());
      return 0;
    }
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
    for (DiscoveredRepository repository : discovery.selected()) {
      try {
        progress.summary(collector.sync(collector.target(target.platformId(), repository.repository()),
            full ? SyncMode.FULL : SyncMode.INCREMENTAL));
      } catch (CollectorException e) {
        failed++;
        firstFailure = firstFailure.or(() -> Optional.of(e));
        System.err.println("failed " + repository.repository() + ": " + e.getMessage());
      }
    }
    System.err.printf(Locale.ROOT, "%s: %,d of %,d repositories collected%n", target.organizationId(),
        discovery.selected().size() - failed, discovery.selected().size());
    System.err.println("envelopes are in " + directory.toAbsolutePath());
    if (firstFailure.isPresent()) {
      throw firstFailure.get();
    }
    return 0;
  }
}
