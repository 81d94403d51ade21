package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitcollector.core.spi.Page;
import io.gitcollector.core.spi.StreamRequest;
import io.gitcollector.core.spi.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A list walked whole each pass, emitting what changed; unchanged pages answered by their validators. */
class SnapshotWalkTest {

  /** A platform's list of tags and versions, two to a page, each page with an ETag of its content. */
  static final class TagList {
    final Map<String, String> versions = new LinkedHashMap<>();
    int reads;
    int notModified;

    SnapshotWalk.Fetched<String> read(Optional<String> position, Optional<String> etag) {
      reads++;
      List<String> tags = new ArrayList<>(versions.keySet());
      int from = position.map(Integer::parseInt).orElse(0);
      List<String> page = tags.subList(from, Math.min(tags.size(), from + 2));
      String tagEtag = "\"" + page.stream().map(t -> t + "=" + versions.get(t)).toList().hashCode() + "\"";
      if (etag.equals(Optional.of(tagEtag))) {
        notModified++;
        return SnapshotWalk.Fetched.notModifiedPage();
      }
      Optional<String> next = from + 2 < tags.size() ? Optional.of(Integer.toString(from + 2)) : Optional.empty();
      return new SnapshotWalk.Fetched<>(false, page, next, Optional.of(tagEtag));
    }
  }

  private static List<String> pass(TagList list, SyncMode mode, String[] cursor) {
    List<String> emitted = new ArrayList<>();
    Page<String> page;
    do {
      page = SnapshotWalk.next(new StreamRequest(mode, Optional.ofNullable(cursor[0])), list::read,
          tag -> tag, list.versions::get, changed -> changed);
      emitted.addAll(page.items());
      cursor[0] = page.cursor();
    } while (!page.last());
    return emitted;
  }

  @Test
  void aPassEmitsWhatChangedSinceTheLastAndAnUnchangedListCostsOnlyItsValidators() {
    TagList list = new TagList();
    for (int i = 1; i <= 5; i++) {
      list.versions.put("v" + i, "a");
    }
    String[] cursor = {null};
    assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), pass(list, SyncMode.INCREMENTAL, cursor));

    list.reads = 0;
    assertEquals(List.of(), pass(list, SyncMode.INCREMENTAL, cursor));
    assertEquals(3, list.notModified, "every page answered not modified");
    assertEquals(3, list.reads);

    list.versions.put("v4", "b");
    list.versions.put("v6", "a");
    assertEquals(List.of("v4", "v6"), pass(list, SyncMode.INCREMENTAL, cursor), "exactly the changed and the new");

    assertEquals(List.of("v1", "v2", "v3", "v4", "v5", "v6"), pass(list, SyncMode.FULL, cursor),
        "a full pass emits everything");
    assertEquals(List.of(), pass(list, SyncMode.INCREMENTAL, cursor));
  }

  @Test
  void anItemThatMovesToAnotherPageIsNotEmittedAgain() {
    TagList list = new TagList();
    for (String tag : List.of("b", "c", "d")) {
      list.versions.put(tag, "1");
    }
    String[] cursor = {null};
    pass(list, SyncMode.INCREMENTAL, cursor);
    Map<String, String> shifted = new LinkedHashMap<>();
    shifted.put("a", "1");
    shifted.putAll(list.versions);
    list.versions.clear();
    list.versions.putAll(shifted);
    assertEquals(List.of("a"), pass(list, SyncMode.INCREMENTAL, cursor), "a new first item shifts every page");
  }
}
