package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gitcollector.core.model.CiRun;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import io.gitcollector.core.spi.toolkit.CursorCodec;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GitHub Actions workflow runs. GitHub lists a repository's runs newest created first, filters them by creation time
 * ({@code created=A..B}) but not by update, and answers at most 1,000 runs a query (ten pages of 100, without a next
 * link after the tenth). No total is relied upon.
 *
 * <p>Runs change for a while after they are created (queued, running, re-run): the lookback says how long. A pass
 * reads the recent window first, the runs created since the start of the day the lookback reaches back to from the
 * newest run; its query stays the same all day, so each page is asked with the ETag it had and an unchanged window is
 * all {@code 304}s, free of rate-limit points. The cursor remembers the update time of every run of the window and a
 * pass emits those it has not seen in their current version. A full pass then reads the older runs in disjoint
 * windows of creation time: when a window's tenth page is full, the next window ends at the creation time of its last
 * run (the runs of that second already read are skipped), so a repository with more than 1,000 runs, even in one day,
 * loses none. A run re-run after the lookback is seen by its webhook, or by the next full pass.
 */
final class GitHubWorkflowRuns {
  static final int PAGE_SIZE = 100;
  static final int PAGES_A_QUERY = 10;

  /**
   * What a pass keeps of a page of the recent window: where it was read ({@code before}, {@code page}), its ETag,
   * what follows it (another page, or a window ending at {@code splitBefore} with the runs of that second already
   * read), and its runs' update times.
   */
  record RunPage(String before, int page, String etag, boolean more, String splitBefore, List<Long> splitBoundary,
      Map<Long, Long> updated) {
    RunPage {
      splitBoundary = splitBoundary == null ? List.of() : List.copyOf(splitBoundary);
      updated = updated == null ? Map.of() : Map.copyOf(updated);
    }
  }

  /**
   * The walk's cursor: {@code recentSince} the start of the recent window; the window being read ({@code since}..
   * {@code before}, either end open), its page, the runs of the second {@code before} already read; the recent
   * window's pages of the previous pass and of this one; whether this pass is full; for a repository without runs,
   * the ETag of the empty list, so that asking again costs nothing.
   */
  record RunCursor(String phase, boolean full, String recentSince, String since, String before, int page,
      List<Long> boundaryIds, List<RunPage> previous, List<RunPage> current, String emptyEtag) {
    RunCursor {
      boundaryIds = boundaryIds == null ? List.of() : List.copyOf(boundaryIds);
      previous = previous == null ? List.of() : List.copyOf(previous);
      current = current == null ? List.of() : List.copyOf(current);
    }

    boolean recent() {
      return Objects.equals(since, recentSince);
    }
  }

  private final GitHubHttp http;
  private final Duration lookback;

  GitHubWorkflowRuns(GitHubHttp http, Duration lookback) {
    this.http = http;
    this.lookback = lookback;
  }

  private String runs(RepositoryRef repository, int perPage, int page, String since, String before) {
    return http.repoUrl(repository) + "/actions/runs?per_page=" + perPage + "&page=" + page + "&created="
        + (since == null ? "*" : since) + ".." + (before == null ? "*" : before);
  }

  /** The start of the day the lookback reaches back to from {@code newest}: a window that moves once a day. */
  private String recentSince(Instant newest) {
    return newest.minus(lookback).truncatedTo(ChronoUnit.DAYS).toString();
  }

  Page<CiRun> next(RepositoryRef repository, StreamRequest request) {
    RunCursor cursor = CursorCodec.read(request.cursor(), RunCursor.class).orElse(null);
    if (cursor == null || !GitHubCursors.PAGING.equals(cursor.phase())) {
      boolean full = cursor == null || cursor.recentSince() == null || request.mode() == SyncMode.FULL;
      String recentSince = full ? null : cursor.recentSince();
      if (full) {
        // where the recent window starts follows from the newest run
        Optional<String> emptyEtag = cursor == null || request.mode() == SyncMode.FULL ? Optional.empty()
            : Optional.ofNullable(cursor.emptyEtag());
        RestResult newest = http.get("actions.runs", runs(repository, 1, 1, null, null), emptyEtag, repository);
        if (newest.notModified()) {
          return Page.unchanged(request.cursor().orElseThrow());
        }
        JsonNode first = newest.body().path("workflow_runs").path(0);
        if (first.isMissingNode()) {
          return new Page<>(List.of(), CursorCodec.write(new RunCursor(GitHubCursors.DONE, false, null, null, null,
              0, List.of(), List.of(), List.of(), newest.etag().orElse(null))), true);
        }
        recentSince = recentSince(GitHubMapper.FIELDS.requiredInstant(first, "created_at"));
      }
      cursor = new RunCursor(GitHubCursors.PAGING, full, recentSince, recentSince, null, 1, List.of(),
          full ? List.of() : cursor.previous(), List.of(), null);
    }
    boolean recent = cursor.recent();
    RunCursor at = cursor;
    Optional<RunPage> before = recent ? cursor.previous().stream().filter(page -> page.page() == at.page()
        && Objects.equals(page.before(), at.before())).findFirst() : Optional.empty();
    RestResult result = http.get("actions.runs", runs(repository, PAGE_SIZE, cursor.page(), cursor.since(),
        cursor.before()), before.map(RunPage::etag).filter(etag -> !etag.isEmpty()), repository);
    List<CiRun> emitted = new ArrayList<>();
    RunPage state;
    if (result.notModified() && before.isPresent()) {
      state = before.get();
    } else {
      List<JsonNode> listed = new ArrayList<>();
      result.body().path("workflow_runs").forEach(listed::add);
      Map<Long, Long> seen = new HashMap<>();
      cursor.previous().forEach(page -> seen.putAll(page.updated()));
      Map<Long, Long> updated = new HashMap<>();
      for (JsonNode node : listed) {
        long id = node.path("id").asLong();
        Instant created = GitHubMapper.FIELDS.requiredInstant(node, "created_at");
        if (cursor.before() != null && created.equals(Instant.parse(cursor.before()))
            && cursor.boundaryIds().contains(id)) {
          continue;
        }
        long time = GitHubMapper.FIELDS.requiredInstant(node, "updated_at").getEpochSecond();
        if (cursor.full() || !Long.valueOf(time).equals(seen.get(id))) {
          emitted.add(GitHubMapper.workflowRun(node));
        }
        updated.put(id, time);
      }
      String splitBefore = null;
      List<Long> splitBoundary = List.of();
      if (cursor.page() == PAGES_A_QUERY && listed.size() == PAGE_SIZE) {
        // the query's last page is full: older runs of the window are beyond GitHub's 1,000; a new window ends here
        Instant last = GitHubMapper.FIELDS.requiredInstant(listed.get(listed.size() - 1), "created_at");
        List<Long> boundary = new ArrayList<>(listed.stream()
            .filter(node -> GitHubMapper.FIELDS.requiredInstant(node, "created_at").equals(last))
            .map(node -> node.path("id").asLong()).toList());
        if (cursor.before() != null && Instant.parse(cursor.before()).equals(last)) {
          boundary.addAll(cursor.boundaryIds());
        }
        splitBefore = last.toString();
        splitBoundary = boundary;
      }
      state = new RunPage(cursor.before(), cursor.page(), result.etag().orElse(""),
          result.next().isPresent() && cursor.page() < PAGES_A_QUERY, splitBefore, splitBoundary, updated);
    }
    List<RunPage> current = new ArrayList<>(cursor.current());
    if (recent) {
      current.add(state);
    }
    RunCursor next;
    if (state.more()) {
      next = new RunCursor(GitHubCursors.PAGING, cursor.full(), cursor.recentSince(), cursor.since(),
          cursor.before(), cursor.page() + 1, cursor.boundaryIds(), cursor.previous(), current, null);
    } else if (state.splitBefore() != null) {
      next = new RunCursor(GitHubCursors.PAGING, cursor.full(), cursor.recentSince(), cursor.since(),
          state.splitBefore(), 1, state.splitBoundary(), cursor.previous(), current, null);
    } else if (cursor.full() && cursor.since() != null) {
      // the recent window is read: a full pass goes on with every run created before it
      next = new RunCursor(GitHubCursors.PAGING, true, cursor.recentSince(), null,
          Instant.parse(cursor.recentSince()).minusSeconds(1).toString(), 1, List.of(), cursor.previous(), current,
          null);
    } else {
      return new Page<>(emitted, CursorCodec.write(new RunCursor(GitHubCursors.DONE, false, cursor.recentSince(),
          null, null, 0, List.of(), current, List.of(), null)), true);
    }
    return new Page<>(emitted, CursorCodec.write(next), false);
  }

  /** One run fetched fresh (a webhook's refetch); empty if it is gone. */
  Optional<CiRun> run(RepositoryRef repository, long id) {
    return PlatformResponses.ifFound(() -> http.get("actions.run", http.repoUrl(repository) + "/actions/runs/" + id,
        Optional.empty(), repository)).filter(RestResult::hasBody).map(result -> GitHubMapper.workflowRun(
            result.body()));
  }
}
