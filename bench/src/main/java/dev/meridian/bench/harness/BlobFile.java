package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of incompressible bytes and its {@code sha256:} digest, written and hashed as a stream through one
 * 1 MiB buffer: a blob larger than the harness's own heap costs it nothing.
 */
public record BlobFile(Path file, long size, String digest) {
  private static final int BUFFER = 1 << 20;

  public BlobFile {
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    if (!digest.startsWith("sha256:")) throw new IllegalArgumentException("not a sha256 digest: " + digest);
  }

  /** Writes {@code size} bytes (a multiple of 8) drawn from {@code seed} to {@code file}. */
  public static BlobFile write(Path file, long size, long seed) {
    if (size % Long.BYTES != 0) throw new IllegalArgumentException("size must be a multiple of 8: " + size);
    MessageDigest sha = sha256();
    var random = new RandomBytes(seed);
    byte[] buffer = new byte[BUFFER];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(BUFFER, left);
        random.fill(buffer, n);
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
        left -= n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new BlobFile(file, size, "sha256:" + HexFormat.of().formatHex(sha.digest()));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public double mebibytes() {
    return size / (double) (1 << 20);
  }
}
