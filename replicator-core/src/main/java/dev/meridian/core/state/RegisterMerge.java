package dev.meridian.core.state;

import dev.meridian.core.clock.Stamp;
import java.util.Optional;

/**
 * The one merge rule of every replicated register: the value with the higher {@link Stamp} wins. It is
 * commutative, associative and idempotent, so regions that see the same writes in any order and any
 * number of times agree.
 */
public final class RegisterMerge {
  private RegisterMerge() {}

  /** Whether {@code incoming} should replace {@code current}. */
  public static boolean wins(Stamp incoming, Optional<Stamp> current) {
    return current.isEmpty() || incoming.isAfter(current.get());
  }
}
