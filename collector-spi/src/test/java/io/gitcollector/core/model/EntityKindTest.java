package io.gitcollector.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitcollector.core.codec.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kinds declared once: the collector's own, with event ids that never change, and a plugin's own. */
class EntityKindTest {

  /** A plugin's entity: a label of a repository. */
  record Label(String name, String color, Instant updatedAt) implements Entity {
    static final EntityKind KIND = EntityKind.define("LABEL", Label.class).stream("labels").declare();

    @Override
    public EntityKind kind() {
      return KIND;
    }

    @Override
    public String key() {
      return name;
    }

    @Override
    public String version() {
      return color + "|" + updatedAt;
    }

    @Override
    public Instant occurredAt() {
      return updatedAt;
    }
  }

  @Test
  void theCollectorsEventIdsDoNotChangeWithTheDeclaration() {
    GitIdentity who = new GitIdentity("Dev", "dev@example.com", Instant.parse("2024-01-01T00:00:00Z"),
        Optional.empty());
    Commit commit = new Commit("6dcb09b5b57875f334f61aebed695e2e4193db5e", List.of(), who, who, "m", 1, 2, 3,
        List.of(), "u");
    // computed by the build before kinds were declared (an enum then): re-syncs must keep de-duplicating
    assertEquals("2cd69e7c-f197-8236-b982-6f0d81d0bffa",
        Envelope.of("github", "github:github.com/octocat/hello-world", commit).eventId());
  }

  @Test
  void aPluginsKindIsWrittenAndReadBackLikeTheCollectorsOwn() {
    Label label = new Label("bug", "d73a4a", Instant.parse("2025-03-01T10:00:00Z"));
    Envelope envelope = Envelope.of("gitea", "gitea:gitea.com/team/repo", label);
    assertEquals("label_updated", envelope.eventType());
    assertEquals("git.labels", envelope.defaultTopic());
    Envelope read = EnvelopeCodec.fromJson(EnvelopeCodec.toJson(envelope).getBytes(StandardCharsets.UTF_8));
    assertEquals(label, read.data());
    assertEquals(envelope.eventId(), read.eventId());
    assertTrue(EntityKind.all().contains(Label.KIND));
    assertEquals(EntityKind.COMMIT, EntityKind.all().get(1));
  }

  @Test
  void aKindIsDeclaredOncePerEventType() {
    assertSame(Label.KIND, EntityKind.define("LABEL", Label.class).stream("labels").declare());
    assertThrows(IllegalArgumentException.class,
        () -> EntityKind.define("TAG", Label.class).eventType("commit_created").declare());
    assertThrows(IllegalArgumentException.class,
        () -> EntityKind.define("TAG", Label.class).stream("commits").declare());
    assertEquals(EntityKind.PULL_REQUEST, EntityKind.byEventType("pull_request_updated").orElseThrow());
    assertEquals(Optional.empty(), EntityKind.byEventType("nothing_updated"));
    assertEquals("/io/gitcollector/schemas/commit_created.schema.json", EntityKind.COMMIT.schemaResource());
  }

  @Test
  void whatFollowsFromTheNameIsDerived() {
    assertEquals("label_updated", Label.KIND.eventType());
    assertEquals("git.labels", Label.KIND.defaultTopic());
    assertEquals("topic.labels", Label.KIND.topicSetting());
    assertEquals("topic.repositories", EntityKind.CONTRIBUTOR.topicSetting());
    assertEquals(List.of(EntityKind.REPOSITORY, EntityKind.CONTRIBUTOR, EntityKind.REPOSITORY_RENAME,
        EntityKind.REPOSITORY_DELETION), EntityKind.byDefaultTopic().get("git.repositories"));
  }

  @Test
  void usersNameKindsByStreamOrName() {
    assertEquals(java.util.Set.of(EntityKind.COMMIT, EntityKind.PULL_REQUEST),
        EntityKind.parse(" commits, PULL_REQUEST ", "--kinds"));
    assertEquals(java.util.Set.copyOf(EntityKind.collectedKinds()), EntityKind.parse("all", "--kinds"));
    assertFalse(EntityKind.collectedKinds().contains(EntityKind.REPOSITORY_RENAME), "announced, never collected");
    assertThrows(InvalidConfigurationException.class, () -> EntityKind.parse("repository_renames", "--kinds"));
    InvalidConfigurationException wrong = assertThrows(InvalidConfigurationException.class,
        () -> EntityKind.parse("commits,isues", "COLLECTOR_KINDS"));
    assertTrue(wrong.getMessage().startsWith("COLLECTOR_KINDS: 'isues' is no kind; kinds: [repository, commits"),
        wrong.getMessage());
    assertThrows(InvalidConfigurationException.class, () -> EntityKind.parse(" , ", "--kinds"));
  }
}
