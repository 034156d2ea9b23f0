package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A blocking body stream read as "what is ready now", then "wait". */
class StreamReadyBytesTest {
  /** A stream that has bytes but says none are buffered, as a socket's does before they arrive. */
  private static final class Unannounced extends InputStream {
    private final InputStream bytes;

    Unannounced(byte[] bytes) {
      this.bytes = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() throws IOException {
      return bytes.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return bytes.read(b, off, Math.min(len, 3)); // short reads, as a socket gives
    }

    @Override
    public int available() {
      return 0;
    }
  }

  @Test
  void bytesNotYetAnnouncedAreNotReadUntilTheCallerChoosesToWait() throws IOException {
    var body = new StreamReadyBytes(new Unannounced(new byte[] {1, 2, 3, 4, 5}), new byte[16]);
    ByteBuffer into = ByteBuffer.allocate(16);

    assertThat(body.readReady(into)).as("nothing announced: no blocking read").isZero();
    body.awaitBytes();
    assertThat(body.readReady(into)).isEqualTo(3);
    assertThat(body.readReady(into)).isZero();
    body.awaitBytes();
    assertThat(body.readReady(into)).isEqualTo(2);
    body.awaitBytes();
    assertThat(body.readReady(into)).as("the end").isEqualTo(-1);
    assertThat(into.flip()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
  }

  @Test
  void bufferedBytesAreHandedOverWithoutWaitingAndHeldOnesAreNeverLost() throws IOException {
    byte[] bytes = new byte[100];
    for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
    var body = new StreamReadyBytes(new ByteArrayInputStream(bytes), new byte[64]);
    ByteBuffer small = ByteBuffer.allocate(10);
    ByteBuffer all = ByteBuffer.allocate(100);

    while (true) {
      int n = body.readReady(small.clear());
      if (n == -1) break;
      if (n == 0) {
        body.awaitBytes();
        continue;
      }
      all.put(small.flip());
    }
    assertThat(all.flip()).isEqualTo(ByteBuffer.wrap(bytes));
  }
}
