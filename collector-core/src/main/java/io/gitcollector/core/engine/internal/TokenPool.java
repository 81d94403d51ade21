package io.gitcollector.core.engine.internal;

import io.gitcollector.core.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The tokens of one platform. Each repository (or organization) is pinned to one token by rendezvous hashing over the
 * tokens still in the pool: a key keeps its token as long as the pool keeps it, so the ETags its cursors hold, which a
 * platform honours only for the token that obtained them, keep answering 304; when a token leaves (the platform
 * refused it), only its keys move, spread over the others. A token whose budget is spent until later than
 * {@code switchAfter} is passed over meanwhile.
 */
public final class TokenPool {
  private final List<Secret> tokens;
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Duration switchAfter;

  public TokenPool(List<Secret> tokens, Duration switchAfter) {
    this.tokens = List.copyOf(tokens);
    this.switchAfter = switchAfter;
  }

  /**
   * The token {@code key} is pinned to now; empty without tokens.
   *
   * @param blockedUntil until when a token's budget is spent (or paused), if it is
   */
  public Optional<Secret> pick(String key, Function<Secret, Optional<Instant>> blockedUntil, Instant now) {
    List<Secret> ranked = live().stream()
        .sorted(Comparator.comparingLong((Secret token) -> weight(token, key)).reversed()).toList();
    if (ranked.isEmpty()) {
      // every token was refused: the first one goes on being used, and its refusals are what the user sees
      return tokens.stream().findFirst();
    }
    if (ranked.size() > 1) {
      Instant limit = now.plus(switchAfter);
      for (Secret token : ranked) {
        if (blockedUntil.apply(token).map(until -> !until.isAfter(limit)).orElse(true)) {
          return Optional.of(token);
        }
      }
    }
    return Optional.of(ranked.get(0));
  }

  /** Takes a token the platform refused out of the pool; false if it was not in it or is the last one. */
  public boolean refuse(Secret token) {
    if (live().size() < 2 || !tokens.contains(token)) {
      return false;
    }
    return refused.add(token.fingerprint());
  }

  public List<Secret> live() {
    return tokens.stream().filter(token -> !refused.contains(token.fingerprint())).toList();
  }

  public int size() {
    return tokens.size();
  }

  public int refusedCount() {
    return refused.size();
  }

  private static long weight(Secret token, String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((token.fingerprint() + "\n" + key).getBytes(StandardCharsets.UTF_8));
      long weight = 0;
      for (int i = 0; i < 8; i++) {
        weight = (weight << 8) | (digest[i] & 0xff);
      }
      return weight;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
