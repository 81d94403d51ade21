package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.Contributor;
import io.gitcollector.core.model.GitIdentity;
import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pinned-head walk against a branch held in memory: commits "c1" (oldest) … "cN" (head), pages of two. */
class PinnedHeadWalkTest {
  private final List<String> branch = new ArrayList<>();
  private final List<String> reads = new ArrayList<>();
  private String etag = "v0";

  private void push(int count) {
    for (int i = 0; i < count; i++) {
      branch.add("c" + (branch.size() + 1));
    }
    etag = "v" + branch.size();
  }

  private PinnedHeadWalk.Probe probe(Optional<String> knownEtag) {
    if (knownEtag.equals(Optional.of(etag))) {
      return new PinnedHeadWalk.Unchanged();
    }
    return new PinnedHeadWalk.Head(branch.isEmpty() ? Optional.empty() : Optional.of(branch.get(branch.size() - 1)),
        Optional.of(etag));
  }

  /** History from {@code head} backwards, two a page; positions are offsets from the head. */
  private Listing<String> read(String head, Optional<String> position, Optional<String> stop) {
    reads.add(head + "@" + position.orElse("start"));
    int from = branch.indexOf(head) - position.map(Integer::parseInt).orElse(0);
    List<String> page = new ArrayList<>();
    for (int i = from; i > from - 2 && i >= 0; i--) {
      page.add(branch.get(i));
    }
    int next = branch.indexOf(head) - from + 2;
    return new Listing<>(page, from - 2 >= 0 ? Optional.of(Integer.toString(next)) : Optional.empty());
  }

  private Page<String> page(Optional<String> cursor) {
    return PinnedHeadWalk.commits(new StreamRequest(SyncMode.INCREMENTAL, cursor), this::probe, this::read,
        Function.identity(), List::copyOf);
  }

  /** Runs a pass to its end, returning what it emitted and leaving its last cursor in {@code cursor[0]}. */
  private List<String> pass(String[] cursor) {
    List<String> emitted = new ArrayList<>();
    Page<String> page;
    do {
      page = page(Optional.ofNullable(cursor[0]));
      emitted.addAll(page.items());
      cursor[0] = page.cursor();
    } while (!page.last());
    return emitted;
  }

  @Test
  void aFirstPassWalksTheWholeHistoryAndTheNextOnlyWhatWasPushed() {
    push(5);
    String[] cursor = {null};
    assertEquals(List.of("c5", "c4", "c3", "c2", "c1"), pass(cursor));
    push(3);
    assertEquals(List.of("c8", "c7", "c6"), pass(cursor));
  }

  @Test
  void anUnchangedBranchCostsOnlyTheProbeAndKeepsItsCursor() {
    push(3);
    String[] cursor = {null};
    pass(cursor);
    reads.clear();
    Page<String> page = page(Optional.of(cursor[0]));
    assertTrue(page.last());
    assertEquals(List.of(), page.items());
    assertEquals(cursor[0], page.cursor());
    assertEquals(List.of(), reads);
  }

  @Test
  void anInterruptedPassResumesAtItsPinnedHeadWhateverWasPushedMeanwhile() {
    push(6);
    Page<String> first = page(Optional.empty());
    assertEquals(List.of("c6", "c5"), first.items());
    assertFalse(first.last());
    push(2);
    String[] cursor = {first.cursor()};
    assertEquals(List.of("c4", "c3", "c2", "c1"), pass(cursor));
    assertTrue(reads.stream().allMatch(read -> read.startsWith("c6@")), reads::toString);
    assertEquals(List.of("c8", "c7"), pass(cursor));
  }

  @Test
  void anEmptyRepositoryIsADonePassAndItsFirstCommitsAreWalkedLater() {
    String[] cursor = {null};
    assertEquals(List.of(), pass(cursor));
    push(3);
    assertEquals(List.of("c3", "c2", "c1"), pass(cursor));
  }

  @Test
  void cursorsWrittenBeforeTheWalkWasSharedStillResume() {
    push(6);
    // GitHub's own commit cursor named the position "after" and the previous head "stopAt"
    String old = "{\"phase\":\"paging\",\"head\":\"c6\",\"after\":\"2\",\"stopAt\":\"c2\",\"etag\":\"v6\"}";
    String[] cursor = {old};
    assertEquals(List.of("c4", "c3"), pass(cursor));
  }

  @Test
  void authorsAreCountedAcrossPagesAndEmittedWithTheLastOne() {
    push(5);
    Function<String, GitIdentity> author = sha -> new GitIdentity("Dev " + (sha.hashCode() % 2),
        "dev" + (sha.hashCode() % 2) + "@example.com", Instant.EPOCH,
        sha.equals("c1") ? Optional.of("first") : Optional.empty());
    List<Contributor> contributors = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    Page<Contributor> page;
    int pages = 0;
    do {
      page = PinnedHeadWalk.authors(new StreamRequest(SyncMode.INCREMENTAL, cursor), this::probe, this::read, author);
      contributors.addAll(page.items());
      cursor = Optional.of(page.cursor());
      pages++;
      if (!page.last()) {
        assertEquals(List.of(), page.items(), "contributors are emitted with the last page only");
      }
    } while (!page.last());
    assertEquals(3, pages);
    assertEquals(5, contributors.stream().mapToLong(Contributor::contributions).sum());
    Map<String, Long> byKey = contributors.stream().collect(Collectors.toMap(
        c -> c.login().orElse(c.email().orElseThrow()), Contributor::contributions));
    assertEquals(1L, byKey.get("first"));
  }
}
