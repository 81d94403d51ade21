package io.gitcollector.server.cli;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.SyncMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code collect <repository-url>}: one sync into the embedded default (JSON lines and a file state store). */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = "Collects one repository into JSON-lines files under the data directory.")
public final class CollectCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<repository-url>",
      description = "https://github.com/owner/repo, git@github.com:owner/repo.git, …")
  String url;

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
      SyncResult result = collector.sync(url, full ? SyncMode.FULL : SyncMode.INCREMENTAL);
      progress.summary(result);
      System.err.println("envelopes are in " + directory.toAbsolutePath());
      return 0;
    }
  }
}
