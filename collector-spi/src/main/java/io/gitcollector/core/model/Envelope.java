package io.gitcollector.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a sink receives: a normalized entity with the metadata downstream systems route and de-duplicate on.
 *
 * <p>{@code eventId} is a name-based UUID (SHA-256 of repository, kind, key and version, cut to 128 bits with the
 * version bits set to 8, the RFC 9562 layout for custom hashes), so re-syncs, overlapping webhooks and polling of the
 * same entity in the same version always produce the same id.
 */
public record Envelope(
    String eventId,
    String eventType,
    int schemaVersion,
    Instant timestamp,
    String source,
    String repositoryId,
    Entity data) {

  public static final int SCHEMA_VERSION = 1;

  public Envelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(repositoryId, "repositoryId");
    Objects.requireNonNull(data, "data");
  }

  /** Wraps an entity, deriving the event id, type and timestamp from it. */
  public static Envelope of(String source, String repositoryId, Entity entity) {
    return new Envelope(
        eventId(repositoryId, entity),
        entity.kind().eventType(),
        SCHEMA_VERSION,
        entity.occurredAt(),
        source,
        repositoryId,
        entity);
  }

  /** The topic this envelope goes to unless a sink is configured otherwise. */
  public String defaultTopic() {
    return data.kind().defaultTopic();
  }

  public EntityKind kind() {
    return data.kind();
  }

  static String eventId(String repositoryId, Entity entity) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
    String name = repositoryId + '\n' + entity.kind().name() + '\n' + entity.key() + '\n' + entity.version();
    byte[] hash = sha256.digest(name.getBytes(StandardCharsets.UTF_8));
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
      lsb = (lsb << 8) | (hash[8 + i] & 0xff);
    }
    msb = (msb & ~0xF000L) | 0x8000L;
    lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
