package io.gitcollector.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  static PullRequest pull(Instant updated, List<Review> reviews) {
    return new PullRequest("99", 7, "open", "Title", Optional.of("octocat"), "feature", "main", T, updated,
        Optional.empty(), Optional.empty(), Optional.empty(), false, List.of(), reviews, "https://x/pull/7");
  }

  @Test
  void theSameEntityInTheSameVersionAlwaysGetsTheSameId() {
    Envelope first = Envelope.of("github", "github:github.com/o/r", pull(T, List.of()));
    Envelope again = Envelope.of("github", "github:github.com/o/r", pull(T, List.of()));
    assertEquals(first.eventId(), again.eventId());
    assertEquals("pull_request_updated", first.eventType());
    assertEquals(T, first.timestamp());
    assertTrue(first.eventId().matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  @Test
  void aNewVersionOrAnotherRepositoryGetsAnotherId() {
    Envelope base = Envelope.of("github", "github:github.com/o/r", pull(T, List.of()));
    Envelope updated = Envelope.of("github", "github:github.com/o/r", pull(T.plusSeconds(1), List.of()));
    Review review = new Review("1", Optional.of("a"), "APPROVED", Optional.empty(), Optional.of(T), Optional.empty());
    Envelope reviewed = Envelope.of("github", "github:github.com/o/r", pull(T, List.of(review)));
    Envelope elsewhere = Envelope.of("github", "github:github.com/o/other", pull(T, List.of()));
    assertNotEquals(base.eventId(), updated.eventId());
    assertNotEquals(base.eventId(), reviewed.eventId());
    assertNotEquals(base.eventId(), elsewhere.eventId());
  }

  @Test
  void topicsFollowTheEntityKind() {
    assertEquals("git.pull_requests", Envelope.of("github", "github:h/o/r", pull(T, List.of())).defaultTopic());
    assertEquals("git.commits", EntityKind.COMMIT.defaultTopic());
    assertEquals("git.repositories", EntityKind.REPOSITORY.defaultTopic());
    assertEquals("git.repositories", EntityKind.CONTRIBUTOR.defaultTopic());
  }
}
