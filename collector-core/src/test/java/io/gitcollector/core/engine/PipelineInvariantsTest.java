package io.gitcollector.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Commit;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.model.SinkException;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.Listing;
import io.gitcollector.core.spi.toolkit.PinnedHeadWalk;
import io.gitcollector.core.state.FileStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's page → acknowledgement → cursor path with nothing but a fake platform client and a fake sink (no
 * simulator, no network): a cursor never moves past a page the sink did not acknowledge, whatever order the sink
 * acknowledges pipelined pages in, and a sync that failed resumes where the last acknowledged page ended, losing
 * nothing.
 */
class PipelineInvariantsTest {
  private static final String URL = "https://forge.test/team/repo";
  private static final int COMMITS = 95;
  private static final int PAGE = 10;

  @TempDir
  Path state;

  private final ExecutorService background = Executors.newCachedThreadPool();
  private final FakeForge forge = new FakeForge();

  @AfterEach
  void stop() {
    background.shutdownNow();
  }

  private GitCollector collector(Sink sink, int pipelineDepth) {
    return GitCollector.builder().providers(List.of(forge)).sink(sink).stateStore(new FileStateStore(state))
        .pipelineDepth(pipelineDepth).retry(1, Duration.ofMillis(1)).build();
  }

  @Test
  void aRefusedPageLeavesTheCursorAfterTheLastAcknowledgedOneAndTheNextSyncLosesNothing() {
    RecordingSink failing = new RecordingSink(batch -> batch == 4
        ? CompletableFuture.failedFuture(new SinkException("disk full")) : CompletableFuture.completedFuture(null));
    try (GitCollector collector = collector(failing, 1)) {
      assertThrows(SinkException.class, () -> collector.sync(URL, SyncMode.INCREMENTAL));
    }
    assertEquals(3 * PAGE, failing.acknowledged().size());
    RecordingSink healthy = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(healthy, 1)) {
      assertEquals(COMMITS - 3 * PAGE, collector.sync(URL, SyncMode.INCREMENTAL).delivered(StreamKind.COMMITS));
    }
    assertEquals(new LinkedHashSet<>(forge.shas()), union(failing.acknowledged(), healthy.acknowledged()));
    assertEquals(forge.shas().subList(3 * PAGE, COMMITS), healthy.acknowledged(),
        "the second sync starts right after the last acknowledged page, in order");
  }

  @Test
  void pipelinedPagesAcknowledgedOutOfOrderMoveTheCursorOnlyPastTheUnbrokenPrefix() throws Exception {
    CountDownLatch fourInFlight = new CountDownLatch(4);
    List<CompletableFuture<Void>> held = new ArrayList<>();
    RecordingSink holding = new RecordingSink(batch -> {
      CompletableFuture<Void> future = new CompletableFuture<>();
      synchronized (held) {
        held.add(future);
      }
      fourInFlight.countDown();
      return future;
    });
    try (GitCollector collector = collector(holding, 4)) {
      Future<SyncResult> sync = background.submit(() -> collector.sync(URL, SyncMode.INCREMENTAL));
      assertTrue(fourInFlight.await(10, TimeUnit.SECONDS), "the engine hands four pages to the sink at once");
      synchronized (held) {
        // the sink keeps pages 3 and 4, loses page 2, and only then acknowledges page 1
        held.get(3).complete(null);
        held.get(2).complete(null);
        held.get(1).completeExceptionally(new SinkException("partition leader lost"));
        held.get(0).complete(null);
      }
      Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> sync.get(10, TimeUnit.SECONDS)).getCause();
      assertTrue(failure instanceof SinkException, failure::toString);
    }
    RecordingSink healthy = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(healthy, 4)) {
      collector.sync(URL, SyncMode.INCREMENTAL);
    }
    assertEquals(forge.shas().subList(PAGE, COMMITS), healthy.acknowledged(),
        "only page 1 was acknowledged with everything before it: the next sync starts at page 2");
  }

  @Test
  void aPlatformFailureMidStreamKeepsWhatWasDeliveredAndResumesAfterIt() {
    forge.failAtPage = 5;
    RecordingSink first = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(first, 1)) {
      assertThrows(PlatformUnavailableException.class, () -> collector.sync(URL, SyncMode.INCREMENTAL));
    }
    forge.failAtPage = -1;
    RecordingSink second = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(second, 2)) {
      collector.sync(URL, SyncMode.INCREMENTAL);
    }
    assertEquals(forge.shas().subList(0, 4 * PAGE), first.acknowledged());
    assertEquals(forge.shas().subList(4 * PAGE, COMMITS), second.acknowledged());
  }

  @Test
  void theSameCommitAlwaysGetsTheSameEventId() {
    RecordingSink once = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(once, 3)) {
      collector.sync(URL, SyncMode.INCREMENTAL);
    }
    RecordingSink again = RecordingSink.acknowledgingAll();
    try (GitCollector collector = collector(again, 1)) {
      collector.sync(URL, SyncMode.FULL);
    }
    assertEquals(COMMITS, once.eventIds().size());
    assertEquals(once.eventIds(), again.eventIds());
  }

  @Test
  void aPositionedSinkKeepsThePositionsAndTheEngineResumesFromIt() {
    PositionKeepingSink sink = new PositionKeepingSink();
    forge.failAtPage = 5;
    try (GitCollector collector = collector(sink, 2)) {
      assertThrows(PlatformUnavailableException.class, () -> collector.sync(URL, SyncMode.INCREMENTAL));
    }
    StreamCheckpoint afterFour = sink.commitPages().get(3).after();
    assertEquals(sink.position("forge:forge.test/team/repo", StreamKind.COMMITS), Optional.of(afterFour));
    assertEquals(java.util.Map.of(), new FileStateStore(state).scan("cursor/"), "no cursor in the state store");
    forge.failAtPage = -1;
    // a new engine, as a restarted Connect task: the positions come from the sink alone
    try (GitCollector collector = collector(sink, 2)) {
      assertEquals(COMMITS - 4 * PAGE, collector.sync(URL, SyncMode.INCREMENTAL).delivered(StreamKind.COMMITS));
    }
    List<String> shas = new ArrayList<>();
    sink.commitPages().forEach(page -> page.envelopes().forEach(e -> shas.add(((Commit) e.data()).sha())));
    assertEquals(forge.shas(), shas, "every commit once, in order");
    assertTrue(sink.commitPages().get(sink.commitPages().size() - 1).after().complete(),
        "the pass closed with its last page");
    int handed = sink.pages.size();
    try (GitCollector collector = collector(sink, 2)) {
      assertEquals(0, collector.sync(URL, SyncMode.INCREMENTAL).delivered(StreamKind.COMMITS));
    }
    assertTrue(sink.pages.subList(handed, sink.pages.size()).stream().allMatch(page -> page.envelopes().isEmpty()),
        "an idle pass hands over no envelope, only the position, if it moved");
  }

  /** A sink that keeps each stream's position with what it was handed, as Kafka Connect keeps source offsets. */
  static final class PositionKeepingSink implements PositionedSink {
    record Handed(String repositoryId, StreamKind stream, List<Envelope> envelopes, StreamCheckpoint after) {}

    final List<Handed> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Map<String, StreamCheckpoint> positions = new java.util.concurrent.ConcurrentHashMap<>();

    List<Handed> commitPages() {
      return pages.stream().filter(page -> page.stream().equals(StreamKind.COMMITS)).toList();
    }

    @Override
    public Optional<StreamCheckpoint> position(String repositoryId, StreamKind stream) {
      return Optional.ofNullable(positions.get(repositoryId + "/" + stream.key()));
    }

    @Override
    public CompletableFuture<Void> publish(String repositoryId, StreamKind stream, List<Envelope> envelopes,
        StreamCheckpoint after) {
      pages.add(new Handed(repositoryId, stream, List.copyOf(envelopes), after));
      positions.put(repositoryId + "/" + stream.key(), after);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publish(List<Envelope> envelopes) {
      throw new AssertionError("a stream's pages come with their position");
    }
  }

  private static Set<String> union(List<String> a, List<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Accepts, refuses or holds each batch as {@code answer} says (batches numbered from 1). */
  static final class RecordingSink implements Sink {
    private final IntFunction<CompletableFuture<Void>> answer;
    private final List<Envelope> received = new ArrayList<>();
    private final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
    private final List<List<Envelope>> batches = new ArrayList<>();

    RecordingSink(IntFunction<CompletableFuture<Void>> answer) {
      this.answer = answer;
    }

    static RecordingSink acknowledgingAll() {
      return new RecordingSink(batch -> CompletableFuture.completedFuture(null));
    }

    @Override
    public synchronized CompletableFuture<Void> publish(List<Envelope> envelopes) {
      received.addAll(envelopes);
      batches.add(List.copyOf(envelopes));
      CompletableFuture<Void> outcome = answer.apply(batches.size());
      outcomes.add(outcome);
      return outcome;
    }

    /** The shas of the commits in batches the sink acknowledged, in the order they were handed over. */
    synchronized List<String> acknowledged() {
      List<String> shas = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        CompletableFuture<Void> outcome = outcomes.get(i);
        if (outcome.isDone() && !outcome.isCompletedExceptionally()) {
          batches.get(i).forEach(envelope -> shas.add(((Commit) envelope.data()).sha()));
        }
      }
      return shas;
    }

    synchronized Set<String> eventIds() {
      Set<String> ids = new LinkedHashSet<>();
      received.forEach(envelope -> ids.add(envelope.eventId()));
      return ids;
    }
  }

  /** A platform with one repository of {@link #COMMITS} commits, read {@link #PAGE} a page from the head. */
  static final class FakeForge extends TestForge {
    volatile int failAtPage = -1;
    private int pagesRead;

    List<String> shas() {
      List<String> shas = new ArrayList<>();
      for (int i = COMMITS; i >= 1; i--) {
        shas.add(String.format("%040x", i));
      }
      return shas;
    }

    @Override
    public Page<Commit> commits(RepositoryRef repository, StreamRequest request) {
      return PinnedHeadWalk.commits(request, etag -> PinnedHeadWalk.Head.of(Optional.of(shas().get(0))),
          (head, position, stop) -> {
            if (++pagesRead == failAtPage) {
              throw new PlatformUnavailableException("the forge went away");
            }
            int from = position.map(Integer::parseInt).orElse(0);
            int to = Math.min(COMMITS, from + PAGE);
            return new Listing<>(shas().subList(from, to),
                to < COMMITS ? Optional.of(Integer.toString(to)) : Optional.empty());
          }, sha -> sha, page -> page.stream().map(FakeForge::commit).toList());
    }

    private static Commit commit(String sha) {
      GitIdentity author = new GitIdentity("Dev", "dev@example.com", Instant.EPOCH, Optional.empty());
      return new Commit(sha, List.of(), author, author, "change " + sha, 1, 0, 1, List.of(), "");
    }
  }
}
