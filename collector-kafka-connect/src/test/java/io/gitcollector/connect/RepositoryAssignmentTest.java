package io.gitcollector.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RepositoryAssignmentTest {
  private static final List<String> REPOSITORIES = IntStream.range(0, 1_000)
      .mapToObj(i -> "https://github.com/acme/repo-" + i).toList();

  @Test
  void everyRepositoryHasOneSlotAndTheSlotsAreEven() {
    List<List<String>> slots = RepositoryAssignment.divide(REPOSITORIES, 4);
    assertEquals(1_000, slots.stream().mapToInt(List::size).sum());
    slots.forEach(slot -> assertTrue(slot.size() > 200 && slot.size() < 300, "slot of " + slot.size()));
  }

  @Test
  void addingOrRemovingRepositoriesMovesNoOther() {
    List<String> changed = new ArrayList<>(REPOSITORIES.subList(100, 1_000));
    changed.add("https://gitlab.com/acme/new-one");
    for (String repository : changed) {
      if (REPOSITORIES.contains(repository)) {
        assertEquals(RepositoryAssignment.slotOf(repository, 4), slotIn(RepositoryAssignment.divide(changed, 4),
            repository), repository);
      }
    }
  }

  @Test
  void oneMoreTaskMovesAboutItsShareOnly() {
    long moved = REPOSITORIES.stream()
        .filter(r -> RepositoryAssignment.slotOf(r, 4) != RepositoryAssignment.slotOf(r, 5)).count();
    // the new slot takes about 1/5; nothing moves between the old four
    assertTrue(moved > 150 && moved < 250, moved + " of 1,000 moved");
    assertTrue(REPOSITORIES.stream().filter(r -> RepositoryAssignment.slotOf(r, 4) != RepositoryAssignment.slotOf(r, 5))
        .allMatch(r -> RepositoryAssignment.slotOf(r, 5) == 4), "a repository that moves moves to the new slot");
  }

  private static int slotIn(List<List<String>> slots, String repository) {
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i).contains(repository)) {
        return i;
      }
    }
    throw new AssertionError(repository + " has no slot");
  }
}
