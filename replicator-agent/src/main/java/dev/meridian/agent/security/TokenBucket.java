package dev.meridian.agent.security;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code perSecond}; each request takes one.
 * Time comes in as nanoseconds from the caller, so tests drive it. Not thread-safe: {@link ClientRateLimiter}
 * synchronizes on each bucket.
 */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long lastNanos;

  TokenBucket(int capacity, double perSecond, long nowNanos) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1");
    if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be > 0");
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** Takes a token: 0 when one was there, else the nanoseconds until one will be (nothing is taken then). */
  long tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Whether the bucket is full again, so forgetting it changes nothing. */
  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      lastNanos = nowNanos;
    }
  }
}
