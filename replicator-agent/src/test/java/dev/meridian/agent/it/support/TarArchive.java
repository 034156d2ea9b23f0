package dev.meridian.agent.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds a POSIX ustar archive holding one regular file, byte for byte the same on every run (mtime 0,
 * owner 0:0), so layers built from the same content share a digest.
 *
 * <p>Header layout per POSIX.1-1988 ustar: 512-byte header, content padded to 512, two zero blocks at the end.
 * {@link #writeSingleFile} streams the same bytes, for layers too large to hold in memory.
 */
public final class TarArchive {
  private static final int BLOCK = 512;

  private TarArchive() {}

  public static byte[] singleFile(String name, byte[] content) {
    var out = new ByteArrayOutputStream(BLOCK + content.length + 3 * BLOCK);
    out.writeBytes(header(name, content.length));
    out.writeBytes(content);
    out.writeBytes(new byte[padding(content.length)]);
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  /** Writes the archive {@link #singleFile} would build for the first {@code size} bytes of {@code content}. */
  public static void writeSingleFile(String name, long size, SeededBytes content, OutputStream out) {
    try {
      out.write(header(name, size));
      byte[] buffer = new byte[1 << 16];
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(buffer.length, left);
        content.fill(buffer, 0, n);
        out.write(buffer, 0, n);
        left -= n;
      }
      out.write(new byte[padding(size)]);
      out.write(new byte[2 * BLOCK]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] header(String name, long size) {
    if (name.isEmpty() || name.length() > 99) throw new IllegalArgumentException("tar entry name: " + name);
    byte[] header = new byte[BLOCK];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", size));
    put(header, 136, "00000000000");
    put(header, 148, "        "); // the checksum is computed with its own field as spaces
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    put(header, 265, "root");
    put(header, 297, "root");
    long checksum = 0;
    for (byte b : header) checksum += b & 0xff;
    put(header, 148, String.format("%06o", checksum));
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  private static int padding(long length) {
    int rest = (int) (length % BLOCK);
    return rest == 0 ? 0 : BLOCK - rest;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
