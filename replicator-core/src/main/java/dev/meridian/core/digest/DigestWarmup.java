package dev.meridian.core.digest;

import java.nio.ByteBuffer;

/**
 * Hashes a few MiB of filler through {@link Digester}, from an array and from a direct buffer as uploads and
 * transfers do, so that the JIT compiles the SHA-256 intrinsic while an agent starts instead of during its first
 * copies. A region restarted onto a backlog starts copying at once: its first copies hashed with the interpreted
 * and C1-compiled digest for about 0.35 s, four copies at once, before C2 compiled the intrinsic (a JIT log of the
 * bench's restarted region). C2 compiles the multi-block loop (which it replaces with the intrinsic) once it was
 * called a few hundred times and looped many times: so the filler goes in pieces of 4 KiB, the size a direct
 * buffer is hashed in anyway (the JDK copies it to an array 4 KiB at a time). Hashed in 64 KiB pieces, 4 MiB got
 * only the per-block method compiled.
 */
public final class DigestWarmup {
  /** Bytes hashed by {@link #run()}: 1,024 pieces of 64 blocks, above C2's invocation and loop thresholds. */
  public static final int BYTES = 4 << 20;
  private static final int CHUNK = 64 * 1024;
  private static final int PIECE = 4 * 1024;
  static final int ROUNDS = 6;
  static final long PAUSE_MILLIS = 250;

  private DigestWarmup() {}

  /** Hashes {@link #BYTES} bytes of filler (half from an array, half from a direct buffer) and returns the digest. */
  public static Digest run() {
    return run(BYTES);
  }

  static Digest run(int bytes) {
    byte[] chunk = filler();
    return run(bytes, chunk, directCopy(chunk));
  }

  /** The same over filler the caller made once: the rounds of {@link #inBackground} share one array and buffer. */
  private static Digest run(int bytes, byte[] chunk, ByteBuffer direct) {
    Digester digester = new Digester(DigestAlgorithm.SHA256);
    for (int done = 0; done < bytes; done += CHUNK) {
      int length = Math.min(CHUNK, bytes - done);
      if ((done / CHUNK) % 2 == 0) {
        for (int at = 0; at < length; at += PIECE) digester.update(chunk, at, Math.min(PIECE, length - at));
      } else {
        digester.update(direct.duplicate().limit(length));
      }
    }
    return digester.digest();
  }

  private static ByteBuffer directCopy(byte[] chunk) {
    ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
    direct.put(chunk).flip();
    return direct;
  }

  /** The filler: not all zeros, so nothing about the input is special. */
  static byte[] filler() {
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) chunk[i] = (byte) (i * 31 + (i >>> 8));
    return chunk;
  }

  /**
   * Runs {@link #run()} {@link #ROUNDS} times, {@link #PAUSE_MILLIS} apart, on a daemon thread of its own at the lowest
   * priority; the caller does not wait. One round while the agent starts was not enough: its compile queue was long
   * then, the tiered policy kept the loop in C1, and C2 took it only once rounds kept coming.
   */
  public static Thread inBackground() {
    Thread thread = new Thread(() -> {
      byte[] chunk = filler();
      ByteBuffer direct = directCopy(chunk);
      for (int round = 0; round < ROUNDS; round++) {
        run(BYTES, chunk, direct);
        try {
          Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "meridian-digest-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
    return thread;
  }
}
