package dev.meridian.agent.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A response body of known length on a connection of its own ({@code Connection: close}), read from the
 * non-blocking socket straight into the caller's buffer ({@link ReadyBytes}) or, for callers that want a stream,
 * through {@link #read(byte[], int, int)}. Every wait for bytes is bounded by the read timeout; an abort (a stopping
 * worker, a region cut off: {@link ReadTimeouts#abortAll}) closes the connection under it and fails the read in
 * progress at once. Closing it closes the connection.
 *
 * <p>A body that ends before its length is an {@link EOFException}: the bytes that came stay counted by the caller,
 * which resumes after them.
 */
final class SocketBody extends InputStream implements ReadyBytes {
  private final SocketChannel channel;
  private final Selector selector;
  private final ByteBuffer early; // body bytes that arrived with the head
  private final long readTimeoutNanos;
  private final Runnable onClose;
  private long remaining;
  private boolean closed;

  /**
   * @param channel connected, non-blocking, registered with {@code selector} for reads
   * @param early the body's first bytes, read with the head (may be empty)
   * @param length the body's length ({@code Content-Length})
   * @param onClose run once when the body is closed (to stop watching it for aborts)
   */
  SocketBody(SocketChannel channel, Selector selector, ByteBuffer early, long length, long readTimeoutNanos, Runnable onClose) {
    if (length < 0) throw new IllegalArgumentException("length < 0: " + length);
    if (early.remaining() > length) throw new IllegalArgumentException("more early bytes than the body's length");
    this.channel = channel;
    this.selector = selector;
    this.early = early;
    this.remaining = length;
    this.readTimeoutNanos = readTimeoutNanos;
    this.onClose = onClose;
  }

  @Override
  public int readReady(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (remaining == 0) return -1;
    if (!dst.hasRemaining()) return 0;
    int limit = dst.limit();
    dst.limit(dst.position() + (int) Math.min(dst.remaining(), remaining));
    int n;
    try {
      if (early.hasRemaining()) {
        n = Math.min(early.remaining(), dst.remaining());
        dst.put(early.slice(early.position(), n));
        early.position(early.position() + n);
      } else {
        n = channel.read(dst);
      }
    } finally {
      dst.limit(limit);
    }
    ensureOpen(); // an abort that closed the channel under the read
    if (n < 0) throw new EOFException("peer closed the connection " + remaining + " bytes before the end of the body");
    remaining -= n;
    return n;
  }

  @Override
  public void awaitBytes() throws IOException {
    ensureOpen();
    if (remaining == 0 || early.hasRemaining()) return;
    long deadline = System.nanoTime() + readTimeoutNanos;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new SocketTimeoutException("no bytes from peer for " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms");
      int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      ensureOpen();
      failIfInterrupted();
      if (ready > 0) return;
    }
  }

  /**
   * An interrupted thread's {@code select} returns at once, every time: without this, a wait for a stalled peer
   * would spin until its timeout. The interrupt stays set for the caller to see.
   */
  static void failIfInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while waiting for the peer");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) return 0;
    ByteBuffer into = ByteBuffer.wrap(b, off, len);
    while (true) {
      int n = readReady(into);
      if (n != 0) return n;
      awaitBytes();
    }
  }

  @Override
  public int available() throws IOException {
    ensureOpen();
    return (int) Math.min(early.remaining(), Integer.MAX_VALUE);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    onClose.run();
    try {
      channel.close();
    } finally {
      selector.close();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) throw new IOException("body closed");
    if (!channel.isOpen()) throw new IOException("transfer stopped"); // aborted: the connection was closed under it
  }
}
