package io.gitcollector.core.spi.toolkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.model.PlatformUnavailableException;
import io.gitcollector.core.model.RepositoryNotFoundException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelFetchesTest {

  @Test
  void resultsComeBackInTheItemsOrder() {
    try (ParallelFetches fetches = new ParallelFetches("test-fetch", 4)) {
      List<Integer> items = IntStream.range(0, 200).boxed().toList();
      assertEquals(items.stream().map(i -> "item-" + i).toList(), fetches.map(items, "an item", i -> "item-" + i));
    }
  }

  @Test
  void aCollectorErrorSurfacesAsItselfAnythingElseAsPlatformUnavailableNamingWhatWasRead() {
    try (ParallelFetches fetches = new ParallelFetches("test-fetch", 2)) {
      RepositoryNotFoundException missing = new RepositoryNotFoundException("gone");
      assertSame(missing, assertThrows(RepositoryNotFoundException.class,
          () -> fetches.map(List.of(1, 2), "an item", i -> {
            throw missing;
          })));
      PlatformUnavailableException other = assertThrows(PlatformUnavailableException.class,
          () -> fetches.map(List.of(1), "a diffstat", i -> {
            throw new IllegalStateException("broken body");
          }));
      assertTrue(other.getMessage().startsWith("reading a diffstat failed"), other.getMessage());
      assertTrue(other.getMessage().contains("broken body"), other.getMessage());
    }
  }
}
