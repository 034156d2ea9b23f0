package dev.meridian.agent.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A blocking stream seen as {@link ReadyBytes}: bytes are "ready" while the stream says some are {@code available()}
 * or some are held from the last read; waiting is a blocking read into the holding buffer. For bodies of the JDK
 * client, whose stream knows what it has buffered.
 */
final class StreamReadyBytes implements ReadyBytes {
  private final InputStream in;
  private final byte[] held;
  private int start;
  private int end;
  private boolean ended;

  StreamReadyBytes(InputStream in, byte[] buffer) {
    if (buffer.length == 0) throw new IllegalArgumentException("empty buffer");
    this.in = in;
    this.held = buffer;
  }

  @Override
  public int readReady(ByteBuffer dst) throws IOException {
    if (start == end) {
      if (ended) return -1;
      if (in.available() <= 0) return 0;
      fill(); // some bytes are buffered: this read does not wait
      if (ended) return -1;
    }
    int n = Math.min(end - start, dst.remaining());
    dst.put(held, start, n);
    start += n;
    return n;
  }

  @Override
  public void awaitBytes() throws IOException {
    if (start == end && !ended) fill();
  }

  private void fill() throws IOException {
    int n = in.read(held);
    if (n < 0) {
      ended = true;
    } else {
      start = 0;
      end = n;
    }
  }
}
