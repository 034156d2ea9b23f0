package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * When each failed job may run again: after a pause that doubles with every failure, from {@code initial} up to
 * {@code max}, randomized by ±50% so that jobs failing together do not retry together. Kept in memory only:
 * a restarted agent retries every job at once, which is what an operator restarting it wants.
 *
 * <p>Pure bookkeeping: time and randomness come in as arguments. Thread-safe.
 *
 * @param <K> what identifies a job
 */
public final class JobBackoff<K> {
  static final double JITTER = 0.5;

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private final ConcurrentHashMap<K, Failures> failures = new ConcurrentHashMap<>();

  /** Failures in a row and when the next attempt is due. */
  record Failures(int count, Instant nextAttempt) {}

  /** @param random values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
  public JobBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = requireNonNull(initial, "initial");
    this.max = requireNonNull(max, "max");
    this.random = requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
  }

  /** Whether the job may run at {@code now}: never failed, or its pause is over. */
  public boolean isDue(K job, Instant now) {
    Failures f = failures.get(job);
    return f == null || !now.isBefore(f.nextAttempt());
  }

  /** The number of the job's next attempt: 1 for a job that never failed. */
  public int attempt(K job) {
    Failures f = failures.get(job);
    return f == null ? 1 : f.count() + 1;
  }

  /** Records a failure at {@code now}; returns when the job is due again. */
  public Instant recordFailure(K job, Instant now) {
    return failures.compute(job, (k, old) -> {
      int count = old == null ? 1 : old.count() + 1;
      return new Failures(count, now.plus(pause(count)));
    }).nextAttempt();
  }

  /**
   * Defers the job until {@code until} without counting a failure: when nothing was tried (every peer's
   * breaker open), doubling the pause would only delay recovery long after the breakers close.
   */
  public Instant defer(K job, Instant until) {
    return failures.compute(job, (k, old) -> new Failures(old == null ? 0 : old.count(), until)).nextAttempt();
  }

  /** The job succeeded or is gone: forget its failures. */
  public void forget(K job) {
    failures.remove(job);
  }

  /** The pause after {@code count} failures in a row. */
  Duration pause(int count) {
    double base = initial.toNanos() * Math.pow(2, Math.min(count - 1, 62));
    double capped = Math.min(base, max.toNanos());
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    return Duration.ofNanos((long) Math.min(capped * factor, max.toNanos()));
  }
}
