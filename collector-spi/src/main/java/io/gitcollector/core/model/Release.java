package io.gitcollector.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A release, or on a platform without releases (Bitbucket) a tag: its tag, name, the commit it points at, who made
 * it, whether it is a draft or a pre-release, when it was created and published, and its notes.
 */
public record Release(
    String platformId,
    String tag,
    String name,
    Optional<String> targetSha,
    Optional<String> author,
    boolean draft,
    boolean prerelease,
    Instant createdAt,
    Optional<Instant> publishedAt,
    Optional<String> notes,
    String webUrl)
    implements Entity {

  public Release {
    Objects.requireNonNull(platformId, "platformId");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targetSha, "targetSha");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(webUrl, "webUrl");
  }

  @Override
  public EntityKind kind() {
    return EntityKind.RELEASE;
  }

  /** The tag: what users name a release by. */
  @Override
  public String key() {
    return tag;
  }

  /** Changes with any edit: name, draft or pre-release, publication, target and notes. */
  @Override
  public String version() {
    return name + "|" + draft + "|" + prerelease + "|" + publishedAt.map(Instant::toString).orElse("") + "|"
        + targetSha.orElse("") + "|" + notes.map(Release::digest).orElse("");
  }

  /** When it was published, or created if it was not (a draft, a tag). */
  @Override
  public Instant occurredAt() {
    return publishedAt.orElse(createdAt);
  }

  /** A release counts when published; a draft, never. */
  @Override
  public java.util.Map<String, Instant> activity() {
    return publishedAt.map(published -> java.util.Map.of("releases", published)).orElseGet(java.util.Map::of);
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
