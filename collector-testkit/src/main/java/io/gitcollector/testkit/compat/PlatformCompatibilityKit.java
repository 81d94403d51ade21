package io.gitcollector.testkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.jsonl.JsonLinesSink;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.PlatformConfig;
import io.gitcollector.core.spi.PlatformProvider;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.testkit.envelopes.EnvelopeFiles;
import io.gitcollector.testkit.envelopes.EnvelopeSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every platform adapter honours, run through the real engine against the subclass's fake of the
 * platform: discovery, URL acceptance, a complete and valid full sync, idempotent incremental syncs, and cursors that
 * resume right after the last acknowledged page.
 */
public abstract class PlatformCompatibilityKit {

  @TempDir protected Path kitDirectory;

  protected abstract PlatformProvider provider();

  /** Configuration that points the adapter at the fake platform. */
  protected abstract PlatformConfig config();

  /** A repository the fake serves, with more than one page of commits. */
  protected abstract String repositoryUrl();

  /** Ground truth: every commit sha of the repository's default branch. */
  protected abstract Set<String> expectedCommitShas();

  /** Ground truth: every pull or merge request number. */
  protected abstract Set<Long> expectedPullRequestNumbers();

  private GitCollector.Builder collector(Path data) {
    return GitCollector.builder().providers(List.of(provider())).platform(provider().id(), config())
        .dataDirectory(data).retry(4, Duration.ofMillis(20));
  }

  @Test
  void theProviderIsFoundByServiceLoader() {
    Set<Class<?>> found = new HashSet<>();
    ServiceLoader.load(PlatformProvider.class).forEach(p -> found.add(p.getClass()));
    assertTrue(found.contains(provider().getClass()), "META-INF/services lists " + provider().getClass());
  }

  @Test
  void itsIdIsLowerCaseAndItAcceptsItsRepositoryUrls() {
    assertTrue(provider().id().matches("[a-z][a-z0-9_-]*"), provider().id());
    assertTrue(provider().accepts(RepositoryRef.parse(repositoryUrl()), config()), repositoryUrl());
    assertTrue(provider().accepts(RepositoryRef.parse(repositoryUrl() + ".git"), config()), repositoryUrl() + ".git");
  }

  @Test
  void aFullSyncDeliversTheWholeRepositoryOnceInValidEnvelopes() {
    Path data = kitDirectory.resolve("full");
    try (GitCollector collector = collector(data).build()) {
      collector.sync(repositoryUrl(), SyncMode.FULL);
    }
    List<JsonNode> envelopes = EnvelopeFiles.readAll(data);
    Set<String> ids = new HashSet<>();
    Set<String> shas = new HashSet<>();
    Set<Long> numbers = new HashSet<>();
    String repositoryId = RepositoryRef.parse(repositoryUrl()).repositoryId(provider().id());
    for (JsonNode envelope : envelopes) {
      assertEquals(List.of(), EnvelopeSchemas.violations(envelope), envelope::toString);
      assertEquals(provider().id(), envelope.path("source").asText());
      assertEquals(repositoryId, envelope.path("repository_id").asText());
      assertTrue(ids.add(envelope.path("event_id").asText()), () -> "delivered twice: " + envelope);
      switch (envelope.path("event_type").asText()) {
        case "commit_created" -> shas.add(envelope.path("data").path("sha").asText());
        case "pull_request_updated" -> numbers.add(envelope.path("data").path("number").asLong());
        default -> { }
      }
    }
    assertEquals(expectedCommitShas(), shas);
    assertEquals(expectedPullRequestNumbers(), numbers);
    assertEquals(1, envelopes.stream().filter(e -> e.path("event_type").asText().equals("repository_updated"))
        .count());
  }

  @Test
  void anIncrementalSyncRightAfterDeliversNothingNew() {
    Path data = kitDirectory.resolve("incremental");
    try (GitCollector collector = collector(data).build()) {
      collector.sync(repositoryUrl(), SyncMode.FULL);
      Set<String> before = eventIds(EnvelopeFiles.readAll(data));
      collector.sync(repositoryUrl(), SyncMode.INCREMENTAL);
      Set<String> after = eventIds(EnvelopeFiles.readAll(data));
      assertEquals(before, after, "an unchanged repository yields no new event");
    }
  }

  @Test
  void aSyncInterruptedAfterAnyAcknowledgedPageResumesWithoutLossOrDuplicate() {
    Path data = kitDirectory.resolve("resume");
    try (GitCollector collector = collector(data).sink(new FailingAtSecondCommitBatch(data)).build()) {
      assertThrows(SinkException.class, () -> collector.sync(repositoryUrl(), SyncMode.FULL),
          "the kit needs a repository with more than one page of commits");
    }
    try (GitCollector collector = collector(data).build()) {
      collector.sync(repositoryUrl(), SyncMode.FULL);
    }
    List<JsonNode> commits = EnvelopeFiles.read(data, "git.commits");
    Set<String> shas = new HashSet<>();
    commits.forEach(e -> shas.add(e.path("data").path("sha").asText()));
    assertEquals(expectedCommitShas(), shas);
    assertEquals(shas.size(), commits.size(), "the resumed pass delivers no acknowledged page again");
  }

  private static Set<String> eventIds(List<JsonNode> envelopes) {
    Set<String> ids = new HashSet<>();
    envelopes.forEach(e -> ids.add(e.path("event_id").asText()));
    return ids;
  }

  /** Acknowledges everything into JSON lines except the second batch of commits. */
  private static final class FailingAtSecondCommitBatch implements Sink {
    private final JsonLinesSink delegate;
    private final AtomicInteger commitBatches = new AtomicInteger();

    FailingAtSecondCommitBatch(Path data) {
      this.delegate = new JsonLinesSink(data);
    }

    @Override
    public CompletableFuture<Void> publish(List<Envelope> envelopes) {
      if (!envelopes.isEmpty() && envelopes.get(0).kind() == EntityKind.COMMIT
          && commitBatches.incrementAndGet() == 2) {
        return CompletableFuture.failedFuture(new SinkException("kit: the destination refused this batch"));
      }
      return delegate.publish(envelopes);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
