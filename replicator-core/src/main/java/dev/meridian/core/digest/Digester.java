package dev.meridian.core.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes bytes as they stream past, and counts them. Not thread-safe: one writer at a time. */
public final class Digester {
  private final DigestAlgorithm algorithm;
  private final MessageDigest messageDigest;
  private long bytes;

  public Digester(DigestAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.messageDigest = algorithm.newMessageDigest();
  }

  public void update(byte[] buffer, int offset, int length) {
    messageDigest.update(buffer, offset, length);
    bytes += length;
  }

  /** Hashes the buffer's remaining bytes; its position moves to its limit. */
  public void update(ByteBuffer buffer) {
    bytes += buffer.remaining();
    messageDigest.update(buffer);
  }

  public long bytes() {
    return bytes;
  }

  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /** The digest of everything so far. The digester is reset afterwards. */
  public Digest digest() {
    return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
  }
}
