package io.gitcollector.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.engine.GitCollector;
import io.gitcollector.core.engine.StreamKind;
import io.gitcollector.core.model.EntityKind;
import io.gitcollector.core.model.PullRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.state.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page's board: progress while a collection runs, failures, and activity counted once per entity. */
class CollectionBoardTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String REPOSITORY = "github:github.com/acme/board";
  private static final StreamKind PULLS = StreamKind.of(EntityKind.PULL_REQUEST);

  @TempDir Path state;

  private static PullRequest pull(long number, Instant created, Optional<Instant> merged, Instant updated) {
    return PullRequest.builder().identity("PR_" + number, number, merged.isPresent() ? "merged" : "open")
        .title("pull " + number).branches("feature-" + number, "main").times(created, updated, merged, merged)
        .webUrl("https://github.com/acme/board/pull/" + number).build();
  }

  @Test
  void activityCountsEachEntityOncePerDayAcrossDeliveriesCollectionsAndInstances() {
    FileStateStore store = new FileStateStore(state);
    CollectionBoard board = new CollectionBoard(store, Clock.fixed(NOW, ZoneOffset.UTC));
    Instant yesterday = NOW.minusSeconds(86_400);
    Instant longAgo = NOW.minusSeconds(86_400L * 40);

    board.collectionStarted(REPOSITORY, SyncMode.FULL, Set.of(EntityKind.PULL_REQUEST));
    board.entitiesDelivered(REPOSITORY, PULLS, List.of(pull(1, yesterday, Optional.of(NOW), NOW),
        pull(2, yesterday, Optional.empty(), NOW), pull(3, longAgo, Optional.empty(), NOW)));
    // delivered again within the same collection (a retried page): not counted twice
    board.entitiesDelivered(REPOSITORY, PULLS, List.of(pull(2, yesterday, Optional.empty(), NOW.plusSeconds(5))));
    CollectionBoard.Progress running = board.running().get(0);
    assertEquals(2, running.pages());
    assertEquals(4, running.entities());
    assertEquals(List.of(2L, 0L), board.activity(REPOSITORY).series().get("pull_requests_opened").subList(28, 30),
        "what runs already shows");
    assertEquals(List.of(0L, 1L), board.activity(REPOSITORY).series().get("pull_requests_merged").subList(28, 30));
    board.collectionEnded(REPOSITORY, Optional.empty());
    assertTrue(board.running().isEmpty());

    // a later collection delivers the same pull requests updated: still one each, on the days they happened
    board.collectionStarted(REPOSITORY, SyncMode.INCREMENTAL, Set.of(EntityKind.PULL_REQUEST));
    board.entitiesDelivered(REPOSITORY, PULLS, List.of(pull(2, yesterday, Optional.of(NOW), NOW.plusSeconds(60))));
    board.collectionEnded(REPOSITORY, Optional.of("GitHub answered 502"));

    // another instance (a restart, say) reads what was kept
    CollectionBoard restarted = new CollectionBoard(new FileStateStore(state), Clock.fixed(NOW, ZoneOffset.UTC));
    CollectionBoard.Activity activity = restarted.activity(REPOSITORY);
    assertEquals(30, activity.days().size());
    assertEquals(LocalDate.of(2026, 12, 1), activity.days().get(29));
    assertEquals(List.of(2L, 0L), activity.series().get("pull_requests_opened").subList(28, 30),
        "the pull request created 40 days ago is outside the window");
    assertEquals(List.of(0L, 2L), activity.series().get("pull_requests_merged").subList(28, 30));
    assertEquals(2, activity.series().get("pull_requests_opened").stream().mapToLong(Long::longValue).sum());
    assertEquals(Set.of(REPOSITORY), restarted.activities().keySet());

    assertEquals(1, board.failures().size());
    assertEquals("GitHub answered 502", board.failures().get(0).error());
    assertTrue(restarted.failures().isEmpty(), "failures are this instance's");
  }

  @Test
  void activityMovesWithARenamedRepositoryAndOldDaysLeaveTheWindow() {
    FileStateStore store = new FileStateStore(state);
    CollectionBoard board = new CollectionBoard(store, Clock.fixed(NOW, ZoneOffset.UTC));
    board.collectionStarted(REPOSITORY, SyncMode.FULL, Set.of(EntityKind.PULL_REQUEST));
    board.entitiesDelivered(REPOSITORY, PULLS, List.of(pull(7, NOW.minusSeconds(86_400L * 29), Optional.empty(),
        NOW)));
    board.collectionEnded(REPOSITORY, Optional.empty());
    assertEquals(Optional.of(REPOSITORY), GitCollector.repositoryOfStateKey(GitCollector.activityStateKey(
        REPOSITORY)), "a rename moves it with the cursors");
    assertEquals(1L, board.activity(REPOSITORY).series().get("pull_requests_opened").get(0));
    CollectionBoard tomorrow = new CollectionBoard(store, Clock.fixed(NOW.plusSeconds(86_400), ZoneOffset.UTC));
    assertEquals(0L, tomorrow.activity(REPOSITORY).series().getOrDefault("pull_requests_opened", List.of(0L))
        .stream().mapToLong(Long::longValue).sum(), "a day that left the window is dropped");
  }
}
