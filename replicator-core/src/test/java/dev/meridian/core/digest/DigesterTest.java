package dev.meridian.core.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class DigesterTest {

  /** Cuts the bytes at the given points and feeds each piece through a different update path. */
  @Property
  void digestOverRandomChunksEqualsMessageDigestOverTheWhole(
      @ForAll @Size(max = 5000) byte[] bytes, @ForAll DigestAlgorithm algorithm, @ForAll @Size(max = 12) List<Integer> cuts)
      throws Exception {
    var digester = new Digester(algorithm);
    int offset = 0;
    int piece = 0;
    for (int cut : cuts) {
      int length = Math.min(Math.floorMod(cut, 1200), bytes.length - offset);
      feed(digester, bytes, offset, length, piece++);
      offset += length;
    }
    feed(digester, bytes, offset, bytes.length - offset, piece);

    MessageDigest reference = MessageDigest.getInstance(algorithm == DigestAlgorithm.SHA256 ? "SHA-256" : "SHA-512");
    assertThat(digester.bytes()).isEqualTo(bytes.length);
    assertThat(digester.digest()).isEqualTo(new Digest(algorithm, HexFormat.of().formatHex(reference.digest(bytes))));
  }

  @Property
  void digestResetsTheDigesterForTheNextContent(@ForAll byte[] first, @ForAll byte[] second, @ForAll DigestAlgorithm algorithm) {
    var digester = new Digester(algorithm);
    digester.update(first, 0, first.length);
    assertThat(digester.digest()).isEqualTo(Digest.of(algorithm, first));
    digester.update(second, 0, second.length);
    assertThat(digester.digest()).isEqualTo(Digest.of(algorithm, second));
  }

  @Example
  void byteBufferUpdateConsumesTheBuffer() {
    var digester = new Digester(DigestAlgorithm.SHA256);
    ByteBuffer buffer = ByteBuffer.wrap("hello".getBytes());
    digester.update(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(digester.bytes()).isEqualTo(5);
    assertThat(digester.digest()).isEqualTo(Digest.sha256Of("hello".getBytes()));
  }

  private static void feed(Digester digester, byte[] bytes, int offset, int length, int piece) {
    switch (piece % 3) {
      case 0 -> digester.update(bytes, offset, length);
      case 1 -> digester.update(ByteBuffer.wrap(bytes, offset, length));
      default -> {
        ByteBuffer direct = ByteBuffer.allocateDirect(length);
        direct.put(bytes, offset, length).flip();
        digester.update(direct);
      }
    }
  }
}
