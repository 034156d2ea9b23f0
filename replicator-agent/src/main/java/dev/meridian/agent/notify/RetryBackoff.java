package dev.meridian.agent.notify;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a delivery queue waits after a failed attempt: exponential from {@code initial}, doubling per failure in a
 * row, never above {@code max}, each wait drawn between half and all of that (jitter, so many regions whose receiver
 * comes back do not retry in step). Pure: the randomness comes in.
 */
public record RetryBackoff(Duration initial, Duration max) {
  public RetryBackoff {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial backoff must be positive: " + initial);
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
  }

  /** 1 s, doubling up to 5 minutes. */
  public static RetryBackoff defaults() {
    return new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  /** The ceiling of the wait after {@code failures} failures in a row (at least 1). */
  public Duration ceiling(int failures) {
    if (failures < 1) throw new IllegalArgumentException("failures < 1: " + failures);
    long millis = initial.toMillis();
    for (int i = 1; i < failures && millis < max.toMillis(); i++) millis *= 2;
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  /** The wait after {@code failures} failures in a row; {@code random} gives values in [0, 1). */
  public Duration delay(int failures, DoubleSupplier random) {
    long ceiling = ceiling(failures).toMillis();
    double r = random.getAsDouble();
    if (r < 0 || r >= 1) throw new IllegalArgumentException("random value outside [0, 1): " + r);
    return Duration.ofMillis(ceiling / 2 + Math.round((ceiling - ceiling / 2) * r));
  }
}
