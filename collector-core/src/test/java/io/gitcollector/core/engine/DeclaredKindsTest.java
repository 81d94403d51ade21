package io.gitcollector.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.internal.StateKeys;
import io.gitcollector.core.model.Entity;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.Envelope;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.Sink;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.state.FileStateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kind declared by a plugin gets its own stream, cursor and envelopes, with nothing in the engine written for it; a
 * platform that does not serve a declared kind skips it and says so.
 */
class DeclaredKindsTest {
  @TempDir
  Path state;

  /** A plugin's entity: a milestone of a repository. */
  record Milestone(String title, Instant updatedAt) implements Entity {
    static final EntityKind KIND = EntityKind.define("MILESTONE", Milestone.class).stream("milestones")
        .declare();

    @Override
    public EntityKind kind() {
      return KIND;
    }

    @Override
    public String key() {
      return title;
    }

    @Override
    public String version() {
      return updatedAt.toString();
    }

    @Override
    public Instant occurredAt() {
      return updatedAt;
    }
  }

  /** A platform serving the collector's kinds (with nothing to say) and milestones, two pages of them. */
  static final class MilestoneForge extends TestForge {
    private final Set<EntityKind> kinds;

    MilestoneForge(Set<EntityKind> kinds) {
      this.kinds = kinds;
    }

    @Override
    public Set<EntityKind> kinds() {
      return kinds;
    }

    @Override
    public Page<? extends Entity> stream(EntityKind kind, RepositoryRef repository, StreamRequest request) {
      if (!kind.equals(Milestone.KIND)) {
        return super.stream(kind, repository, request);
      }
      boolean first = request.cursor().isEmpty();
      Instant t = Instant.parse("2025-01-01T00:00:00Z");
      return first ? new Page<>(List.of(new Milestone("v1", t), new Milestone("v2", t)), "page-1", false)
          : new Page<>(List.of(new Milestone("v3", t)), "done", true);
    }
  }

  /** Keeps what it is given. */
  static final class ListSink implements Sink {
    final List<Envelope> received = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> publish(List<Envelope> envelopes) {
      received.addAll(envelopes);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void aPluginsKindIsCollectedOnItsOwnStream() {
    Set<EntityKind> kinds = new java.util.HashSet<>(EntityKind.STANDARD);
    kinds.add(Milestone.KIND);
    ListSink sink = new ListSink();
    FileStateStore store = new FileStateStore(state);
    try (GitCollector collector = GitCollector.builder().providers(List.of(new MilestoneForge(kinds))).sink(sink)
        .stateStore(store).build()) {
      SyncResult result = collector.sync("https://forge.test/team/repo", SyncMode.INCREMENTAL);
      assertEquals(3L, result.delivered(StreamKind.of(Milestone.KIND)));
      assertEquals(List.of("v1", "v2", "v3"), sink.received.stream().map(e -> ((Milestone) e.data()).title())
          .toList());
      assertTrue(sink.received.stream().allMatch(e -> e.eventType().equals("milestone_updated")
          && e.defaultTopic().equals("git.milestones")));
      assertEquals("done", StateKeys.loadCheckpoint(store, "forge:forge.test/team/repo",
          StreamKind.of(Milestone.KIND)).orElseThrow().cursor());
      assertEquals(EntityKind.collectedKinds().stream().filter(kind -> !kinds.contains(kind)).map(EntityKind::name)
          .toList(),
          result.skippedKinds(), "only the declared kinds the platform does not serve are skipped");
    }
  }

  @Test
  void aDeclaredKindThePlatformDoesNotServeIsSkippedAndReported() {
    assertEquals("MILESTONE", Milestone.KIND.name(), "the plugin's kind is declared before the sync");
    ListSink sink = new ListSink();
    try (GitCollector collector = GitCollector.builder()
        .providers(List.of(new MilestoneForge(EntityKind.STANDARD))).sink(sink)
        .stateStore(new FileStateStore(state)).build()) {
      SyncResult result = collector.sync("https://forge.test/team/repo", SyncMode.INCREMENTAL);
      assertTrue(result.skippedKinds().contains("MILESTONE"), result.skippedKinds().toString());
      assertEquals(List.of(), sink.received);
      assertEquals(0L, result.delivered(StreamKind.of(Milestone.KIND)));
    }
  }

  @Test
  void usersChooseTheKindsASyncCollects() {
    Set<EntityKind> kinds = new java.util.HashSet<>(EntityKind.STANDARD);
    kinds.add(Milestone.KIND);
    ListSink sink = new ListSink();
    FileStateStore store = new FileStateStore(state);
    try (GitCollector collector = GitCollector.builder().providers(List.of(new MilestoneForge(kinds))).sink(sink)
        .stateStore(store).kinds(EntityKind.parse("milestones", "--kinds")).build()) {
      GitCollector.Target target = collector.target("https://forge.test/team/repo");
      SyncResult result = collector.sync(target, SyncMode.INCREMENTAL);
      assertEquals(List.of(StreamKind.of(Milestone.KIND)), List.copyOf(result.delivered().keySet()),
          "only the chosen stream ran");
      assertEquals(3, sink.received.size());
      assertEquals(java.util.Optional.empty(), StateKeys.loadCheckpoint(store, "forge:forge.test/team/repo",
          StreamKind.COMMITS), "a stream not chosen keeps its cursor (none yet)");

      SyncResult commitsOnly = collector.sync(target, SyncMode.INCREMENTAL,
          java.util.Optional.of(Set.of(EntityKind.COMMIT)));
      assertEquals(List.of(StreamKind.COMMITS), List.copyOf(commitsOnly.delivered().keySet()));
      assertEquals(List.of(), commitsOnly.skippedKinds());
    }
    try (GitCollector collector = GitCollector.builder()
        .providers(List.of(new MilestoneForge(EntityKind.STANDARD))).sink(sink).stateStore(store).build()) {
      SyncResult result = collector.sync(collector.target("https://forge.test/team/repo"), SyncMode.INCREMENTAL,
          java.util.Optional.of(Set.of(EntityKind.COMMIT, Milestone.KIND)));
      assertEquals(List.of("MILESTONE"), result.skippedKinds(), "chosen but not served: skipped and named");
      assertEquals(List.of(StreamKind.COMMITS), List.copyOf(result.delivered().keySet()));
    }
  }
}
