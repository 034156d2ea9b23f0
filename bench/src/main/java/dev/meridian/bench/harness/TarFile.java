package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A ustar archive of one regular file, streamed: 512-byte header, the payload padded to 512, two zero
 * blocks. Enough for skopeo, umoci and registries to treat it as a real layer.
 */
final class TarFile {
  private static final int BLOCK = 512;

  private TarFile() {}

  /** Writes the archive and returns its size in bytes. */
  static long write(OutputStream out, String name, long payloadBytes, RandomBytes bytes) throws IOException {
    out.write(header(name, payloadBytes));
    byte[] buffer = new byte[1 << 20];
    long remaining = payloadBytes;
    while (remaining > 0) {
      int n = (int) Math.min(buffer.length, remaining);
      bytes.fill(buffer, buffer.length);
      out.write(buffer, 0, n);
      remaining -= n;
    }
    int padding = (int) ((BLOCK - payloadBytes % BLOCK) % BLOCK);
    out.write(new byte[padding + 2 * BLOCK]);
    return BLOCK + payloadBytes + padding + 2L * BLOCK;
  }

  private static byte[] header(String name, long size) {
    byte[] header = new byte[BLOCK];
    put(header, 0, name, 100);
    put(header, 100, "0000644", 8);
    put(header, 108, "0000000", 8);
    put(header, 116, "0000000", 8);
    put(header, 124, String.format("%011o", size), 12);
    put(header, 136, "00000000000", 12);
    for (int i = 148; i < 156; i++) header[i] = ' '; // checksum is computed with its own field as spaces
    header[156] = '0';
    put(header, 257, "ustar", 6);
    put(header, 263, "00", 2);
    int sum = 0;
    for (byte b : header) sum += b & 0xff;
    put(header, 148, String.format("%06o", sum), 7);
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  private static void put(byte[] header, int offset, String value, int length) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
  }
}
