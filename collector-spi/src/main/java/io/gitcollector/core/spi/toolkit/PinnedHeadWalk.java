package io.gitcollector.core.spi.toolkit;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pass over a branch's history from the head it had when the pass began, so that pages stay stable while commits
 * are pushed, down to the head the previous pass began at: the cursor state machine every adapter needs for commits
 * (and for whatever else is read per head, like contributors).
 *
 * <p>A pass starts with a probe of the head. When it did not move, the pass is over at once with nothing new. When it
 * moved, the pass is {@code paging}: each page's cursor holds the pinned head and where the next page starts, so an
 * interrupted pass resumes exactly there; the last page's cursor is {@code done} and remembers the head, which the
 * next pass stops at.
 */
public final class PinnedHeadWalk {
  static final String PAGING = "paging";
  static final String DONE = "done";

  private PinnedHeadWalk() {}

  /**
   * The walk's cursor. {@code next} is the position of the next page (absent on a pass's first page); {@code stop}
   * the head the previous pass began at; {@code etag} the probe's last validator; {@code counts} the authors tallied
   * so far, for contributors derived from commits. The aliases read cursors written before the walk was shared.
   */
  public record HeadCursor(String phase, String head, @JsonAlias("after") String next,
      @JsonAlias("stopAt") String stop, String etag, Map<String, AuthorCount> counts) {
    public HeadCursor {
      counts = counts == null ? null : Map.copyOf(counts);
    }
  }

  /** One author's commits counted so far. */
  public record AuthorCount(String login, String name, String email, long count) {}

  /** What the probe of the head found. */
  public sealed interface Probe permits Unchanged, Head {}

  /** The conditional probe answered "not modified" (it had the cursor's ETag): nothing to do, and no cost. */
  public record Unchanged() implements Probe {}

  /** The branch's head now (empty for an empty repository), and the probe's validator for the next pass. */
  public record Head(Optional<String> sha, Optional<String> etag) implements Probe {
    public Head {
      Objects.requireNonNull(sha, "sha");
      Objects.requireNonNull(etag, "etag");
    }

    public static Head of(Optional<String> sha) {
      return new Head(sha, Optional.empty());
    }
  }

  /** Reads a page of the walk: from the pinned head, at the position (absent for the first page). */
  @FunctionalInterface
  public interface Reader<N> {
    Listing<N> read(String head, Optional<String> position, Optional<String> stop);
  }

  /**
   * Commits from the pinned head down to the previous pass's head (excluded), {@code map} turning each page's
   * commits (already cut at the previous head) into what the stream emits.
   *
   * @param probe the head now, given the ETag of the last probe
   * @param sha a listed commit's id
   */
  public static <N, T> Page<T> commits(StreamRequest request, Function<Optional<String>, Probe> probe,
      Reader<N> reader, Function<N, String> sha, Function<List<N>, List<T>> map) {
    return walk(request, probe, reader, sha, (cursor, items, last) -> new Step<>(map.apply(items), null));
  }

  /** Every page read at the pinned head, mapped page by page (a list the platform computes per head). */
  public static <N, T> Page<T> pages(StreamRequest request, Function<Optional<String>, Probe> probe,
      Reader<N> reader, Function<List<N>, List<T>> map) {
    return walk(request, probe, reader, item -> null, (cursor, items, last) -> new Step<>(map.apply(items), null));
  }

  /**
   * Contributors counted from the authors of every commit reachable from the pinned head, for platforms without a
   * contributors list: the counts travel in the cursor from page to page, and are emitted with the pass's last page.
   */
  public static <N> Page<Contributor> authors(StreamRequest request, Function<Optional<String>, Probe> probe,
      Reader<N> reader, Function<N, GitIdentity> author) {
    return walk(request, probe, reader, item -> null, (cursor, items, last) -> {
      Map<String, AuthorCount> counts = new LinkedHashMap<>(cursor.counts() == null ? Map.of() : cursor.counts());
      for (N item : items) {
        GitIdentity identity = author.apply(item);
        String key = identity.login().map(login -> "login:" + login).orElse("email:" + identity.email());
        counts.merge(key, new AuthorCount(identity.login().orElse(null), identity.name(), identity.email(), 1),
            (a, b) -> new AuthorCount(a.login(), a.name(), a.email(), a.count() + 1));
      }
      if (!last) {
        return new Step<Contributor>(List.of(), counts);
      }
      Instant now = Instant.now();
      List<Contributor> contributors = new ArrayList<>(counts.size());
      counts.values().forEach(c -> contributors.add(new Contributor(Optional.empty(), Optional.ofNullable(c.login()),
          Optional.ofNullable(c.name()).filter(n -> !n.isBlank()),
          Optional.ofNullable(c.email()).filter(e -> !e.isBlank()), c.count(), now)));
      return new Step<>(contributors, null);
    });
  }

  /** What one page emits, and what the cursor carries on. */
  private record Step<T>(List<T> items, Map<String, AuthorCount> counts) {}

  @FunctionalInterface
  private interface Stepper<N, T> {
    Step<T> apply(HeadCursor cursor, List<N> items, boolean last);
  }

  private static <N, T> Page<T> walk(StreamRequest request, Function<Optional<String>, Probe> probe, Reader<N> reader,
      Function<N, String> sha, Stepper<N, T> stepper) {
    HeadCursor cursor = CursorCodec.read(request.cursor(), HeadCursor.class).orElse(null);
    if (cursor == null || !PAGING.equals(cursor.phase()) || cursor.head() == null) {
      Probe probed = probe.apply(Optional.ofNullable(cursor).map(HeadCursor::etag));
      String previous = cursor == null ? null : cursor.head();
      if (probed instanceof Unchanged) {
        return Page.unchanged(request.cursor().orElseGet(() -> done(null, null)));
      }
      Head head = (Head) probed;
      String etag = head.etag().orElse(null);
      if (head.sha().isEmpty() || head.sha().get().equals(previous)) {
        return new Page<>(List.of(), done(head.sha().orElse(previous), etag), true);
      }
      cursor = new HeadCursor(PAGING, head.sha().get(), null, previous, etag, null);
    }
    Listing<N> listing = reader.read(cursor.head(), Optional.ofNullable(cursor.next()),
        Optional.ofNullable(cursor.stop()));
    List<N> fresh = new ArrayList<>(listing.items().size());
    boolean reachedKnown = false;
    for (N item : listing.items()) {
      if (cursor.stop() != null && cursor.stop().equals(sha.apply(item))) {
        reachedKnown = true;
        break;
      }
      fresh.add(item);
    }
    boolean last = reachedKnown || listing.next().isEmpty();
    Step<T> step = stepper.apply(cursor, fresh, last);
    if (last) {
      return new Page<>(step.items(), done(cursor.head(), cursor.etag()), true);
    }
    // a pass down to the root is as long as the platform says; one that stops at the previous head is not
    return new Page<>(step.items(), CursorCodec.write(new HeadCursor(PAGING, cursor.head(), listing.next().get(),
        cursor.stop(), cursor.etag(), step.counts())), false,
        cursor.stop() == null ? listing.remaining() : java.util.OptionalLong.empty());
  }

  private static String done(String head, String etag) {
    return CursorCodec.write(new HeadCursor(DONE, head, null, null, etag, null));
  }
}
