package dev.meridian.core.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that tests set and move, forwards or backwards, as real clocks do under NTP. */
public final class MutableClock extends Clock {
  private volatile long millis;

  public MutableClock(long millis) {
    this.millis = millis;
  }

  public void set(long millis) {
    this.millis = millis;
  }

  public void advance(long deltaMillis) {
    millis += deltaMillis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
