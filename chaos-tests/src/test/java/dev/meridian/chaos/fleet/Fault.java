package dev.meridian.chaos.fleet;

import java.time.Duration;

/**
 * What a {@link FaultProxy} does to the bytes flowing one way through it.
 *
 * <p>{@link Drop}, {@link Blackhole} and {@link Reset} are about connections: a new connection meeting one of
 * them on either direction is closed at once, held open without an answer, or reset. On an open connection,
 * a blackhole stalls the direction (the proxy stops reading, so TCP backpressure holds the sender, as in a
 * real partition: nothing is lost, it flows again once healed); drop and reset close it.
 */
public sealed interface Fault {
  /** Bytes flow untouched. */
  record Pass() implements Fault {}

  /** Every chunk is held {@code delay} before it is forwarded. */
  record Latency(Duration delay) implements Fault {
    public Latency {
      if (delay.isNegative()) throw new IllegalArgumentException("negative delay " + delay);
    }
  }

  /** At most {@code bytesPerSecond} flow. */
  record Bandwidth(long bytesPerSecond) implements Fault {
    public Bandwidth {
      if (bytesPerSecond < 1) throw new IllegalArgumentException("bandwidth must be positive: " + bytesPerSecond);
    }
  }

  /** Connections are accepted then closed (FIN). */
  record Drop() implements Fault {}

  /** Connections are accepted, read, and never answered; open ones stall. */
  record Blackhole() implements Fault {}

  /** Connections are reset (RST, via {@code SO_LINGER 0}). */
  record Reset() implements Fault {}

  Fault PASS = new Pass();
  Fault DROP = new Drop();
  Fault BLACKHOLE = new Blackhole();
  Fault RESET = new Reset();

  static Fault latency(Duration delay) {
    return new Latency(delay);
  }

  static Fault bandwidth(long bytesPerSecond) {
    return new Bandwidth(bytesPerSecond);
  }

  /** Whether a connection meeting this fault must not carry bytes at all. */
  default boolean refusesConnections() {
    return this instanceof Drop || this instanceof Blackhole || this instanceof Reset;
  }
}
