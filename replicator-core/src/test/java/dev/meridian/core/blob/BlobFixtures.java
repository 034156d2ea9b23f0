package dev.meridian.core.blob;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Deterministic blob bytes and misbehaving streams for blob store tests. */
public final class BlobFixtures {
  private BlobFixtures() {}

  /** {@code size} pseudo-random bytes; the same seed gives the same bytes. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static Digest sha256(byte[] bytes) {
    return Digest.of(DigestAlgorithm.SHA256, bytes);
  }

  public static Digest sha512(byte[] bytes) {
    return Digest.of(DigestAlgorithm.SHA512, bytes);
  }

  /**
   * Whether every page of {@code file} is in the page cache ({@code mincore} through {@code MappedByteBuffer.isLoaded};
   * mapping the file reads none of it).
   */
  public static boolean inPageCache(java.nio.file.Path file) {
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
      return channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size()).isLoaded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All bytes of a blob, read through a range stream. */
  public static byte[] readAll(BlobContent content) {
    try (InputStream in = content.openStream(0, content.info().size())) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A stream that fails on its first read: proof that nothing was read. */
  public static InputStream unreadableStream() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("this stream must not be read");
      }
    };
  }

  /** Serves {@code bytes[0, failAt)} and then fails, like a client whose connection drops. */
  public static InputStream streamFailingAt(byte[] bytes, int failAt) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= failAt) throw new IOException("connection reset at byte " + position);
        int n = Math.min(length, failAt - position);
        System.arraycopy(bytes, position, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }

  /**
   * Serves {@code bytes}, pausing halfway until every party of {@code barrier} is halfway too, so
   * concurrent writers overlap for real. A store that serialises writers makes the barrier time out
   * (2 s); each writer then goes on alone.
   */
  public static InputStream pausingHalfway(byte[] bytes, CyclicBarrier barrier) {
    int half = bytes.length / 2;
    return new SequenceInputStream(new ByteArrayInputStream(bytes, 0, half), new InputStream() {
      private InputStream rest;

      @Override
      public int read() throws IOException {
        return rest().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return rest().read(b, off, len);
      }

      private InputStream rest() {
        if (rest == null) {
          try {
            barrier.await(2, TimeUnit.SECONDS);
          } catch (TimeoutException | BrokenBarrierException e) {
            // writers are serialised by the store: go on alone
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          rest = new ByteArrayInputStream(bytes, half, bytes.length - half);
        }
        return rest;
      }
    });
  }
}
