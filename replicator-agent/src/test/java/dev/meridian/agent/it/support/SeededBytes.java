package dev.meridian.agent.it.support;

import java.util.SplittableRandom;

/**
 * An endless stream of pseudo-random bytes fixed by a seed: the same seed gives the same bytes in every JVM,
 * so two test images built from one seed share a layer digest.
 *
 * <p>Bytes are taken eight at a time from {@link SplittableRandom#nextLong()}, so the stream does not depend
 * on how callers slice it into buffers.
 */
public final class SeededBytes {
  private final SplittableRandom random;
  private long word;
  private int bytesLeftInWord;

  public SeededBytes(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The first {@code size} bytes of the stream for {@code seed}. */
  public static byte[] of(long seed, int size) {
    byte[] bytes = new byte[size];
    new SeededBytes(seed).fill(bytes, 0, size);
    return bytes;
  }

  /** Writes the next {@code length} bytes of the stream into {@code target} from {@code offset}. */
  public void fill(byte[] target, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytesLeftInWord == 0) {
        word = random.nextLong();
        bytesLeftInWord = 8;
      }
      target[i] = (byte) word;
      word >>>= 8;
      bytesLeftInWord--;
    }
  }
}
