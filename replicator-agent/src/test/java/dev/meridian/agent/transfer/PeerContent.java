package dev.meridian.agent.transfer;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Content a {@link FaultyPeer} serves: its size, and its bytes written in pieces. */
interface PeerContent {
  int PIECE = 64 * 1024;

  long size();

  /** Writes bytes {@code [from, to)} to {@code out}. */
  void write(OutputStream out, long from, long to) throws IOException;

  /** Bytes held in memory. */
  record Bytes(byte[] bytes) implements PeerContent {
    public long size() {
      return bytes.length;
    }

    public void write(OutputStream out, long from, long to) throws IOException {
      out.write(bytes, (int) from, (int) (to - from));
    }
  }

  /** Pseudo-random bytes generated 64 KiB block by block from a seed: any size, never whole in memory. */
  record Generated(long size, long seed) implements PeerContent {
    byte[] block(long index) {
      byte[] block = new byte[(int) Math.min(PIECE, size - index * PIECE)];
      new Random(seed * 1_000_003L + index).nextBytes(block);
      return block;
    }

    public void write(OutputStream out, long from, long to) throws IOException {
      for (long block = from / PIECE; block * PIECE < to; block++) {
        byte[] bytes = block(block);
        int start = (int) Math.max(0, from - block * PIECE);
        int end = (int) Math.min(bytes.length, to - block * PIECE);
        out.write(bytes, start, end - start);
      }
    }

    Digest digest() {
      MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
      for (long block = 0; block * PIECE < size; block++) md.update(block(block));
      return new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(md.digest()));
    }
  }
}
