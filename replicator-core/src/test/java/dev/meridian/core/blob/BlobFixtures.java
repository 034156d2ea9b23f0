package dev.meridian.core.blob;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

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
}
