package com.example.embedding;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.SyncResult;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Collects one GitHub repository in code and prints a summary of it.
 *
 * <pre>
 * GITHUB_TOKEN=... java -cp … com.example.embedding.CollectRepository https://github.com/octocat/Hello-World
 * </pre>
 */
public final class CollectRepository {
  private CollectRepository() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: CollectRepository <repository-url>");
      System.exit(64);
    }
    RepositorySummary summary = collect(args[0], Optional.ofNullable(System.getenv("GITHUB_API_URL")),
        Optional.ofNullable(System.getenv("GITHUB_TOKEN")), Files.createTempDirectory("collector-state"));
    System.out.println(summary);
  }

  /** Collects everything of {@code url} into a summary; cursors go to {@code stateDirectory}. */
  public static RepositorySummary collect(String url, Optional<String> apiUrl, Optional<String> token,
      Path stateDirectory) {
    PlatformConfig.Builder github = PlatformConfig.builder();
    apiUrl.ifPresent(github::apiBaseUrl);
    token.map(Secret::of).ifPresent(github::token);
    RepositorySummary summary = new RepositorySummary();
    try (GitCollector collector = GitCollector.builder()
        .platform("github", github.build())
        .sink(summary)
        .dataDirectory(stateDirectory)
        .build()) {
      SyncResult result = collector.sync(url, SyncMode.FULL);
      System.err.printf("collected %s with %d requests in %d ms%n", result.repositoryId(), result.requests(),
          result.duration().toMillis());
    }
    return summary;
  }
}
