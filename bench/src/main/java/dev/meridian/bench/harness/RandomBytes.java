package dev.meridian.bench.harness;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** A fast deterministic stream of incompressible bytes: the same seed, the same bytes. */
public final class RandomBytes {
  private final SplittableRandom random;

  public RandomBytes(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Fills {@code buffer[0, length)}; {@code length} must be a multiple of 8. */
  public void fill(byte[] buffer, int length) {
    ByteBuffer view = ByteBuffer.wrap(buffer, 0, length);
    while (view.remaining() >= Long.BYTES) view.putLong(random.nextLong());
  }
}
