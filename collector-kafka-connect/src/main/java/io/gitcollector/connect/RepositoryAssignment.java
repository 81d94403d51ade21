package io.gitcollector.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Divides repositories among task slots by rendezvous hashing: each repository goes to the slot with the highest
 * hash of (repository, slot). A repository's slot depends on nothing but its URL and the number of slots, so adding
 * or removing repositories moves no other repository, and a change of {@code tasks.max} from n to n+1 moves about
 * 1/(n+1) of them (only those whose new slot wins).
 */
final class RepositoryAssignment {

  private RepositoryAssignment() {}

  /** The repositories of each slot, {@code slots} lists, in the order given; empty slots are kept. */
  static List<List<String>> divide(List<String> repositories, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    List<List<String>> assignment = new ArrayList<>();
    for (int slot = 0; slot < slots; slot++) {
      assignment.add(new ArrayList<>());
    }
    for (String repository : repositories) {
      assignment.get(slotOf(repository, slots)).add(repository);
    }
    return assignment;
  }

  static int slotOf(String repository, int slots) {
    int best = 0;
    long bestWeight = Long.MIN_VALUE;
    for (int slot = 0; slot < slots; slot++) {
      long weight = weight(repository, slot);
      if (weight > bestWeight) {
        bestWeight = weight;
        best = slot;
      }
    }
    return best;
  }

  private static long weight(String repository, int slot) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((slot + "\u0000" + repository).getBytes(StandardCharsets.UTF_8));
      long weight = 0;
      for (int i = 0; i < 8; i++) {
        weight = (weight << 8) | (digest[i] & 0xff);
      }
      return weight;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
