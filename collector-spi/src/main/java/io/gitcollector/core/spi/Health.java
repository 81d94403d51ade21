package io.gitcollector.core.spi;

import java.util.Objects;

/**
 * What a sink, state store or coordinator says of itself when asked: {@code UP}, {@code DOWN} with the reason, or
 * {@code UNKNOWN} for a component that cannot tell (a plugin written before health existed). Asking must be cheap and
 * bounded in time: implementations check with a short timeout and may cache the answer for a few seconds.
 *
 * @param status the state
 * @param detail what was checked, or why it is down; never a credential
 */
public record Health(Status status, String detail) {

  public enum Status {
    UP,
    DOWN,
    UNKNOWN
  }

  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  public static Health up(String detail) {
    return new Health(Status.UP, detail);
  }

  public static Health down(String reason) {
    return new Health(Status.DOWN, reason);
  }

  public static Health unknown() {
    return new Health(Status.UNKNOWN, "this component does not report its health");
  }

  public boolean isDown() {
    return status == Status.DOWN;
  }
}
