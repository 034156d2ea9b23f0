package dev.meridian.core.blob.fs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Bytes {@code [from, toExclusive)} of a file channel, read positionally: the stream keeps its own
 * position and never moves the channel's, so streams over one channel do not disturb each other.
 * Closing the stream leaves the channel open (the content owns it).
 */
final class ChannelRangeInputStream extends InputStream {
  private final FileChannel channel;
  private final long end;
  private long position;

  ChannelRangeInputStream(FileChannel channel, long from, long toExclusive) {
    this.channel = channel;
    this.position = from;
    this.end = toExclusive;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) return 0;
    if (position >= end) return -1;
    int wanted = (int) Math.min(length, end - position);
    int read = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
    // Published blobs are immutable: a file shorter than its stat means it was tampered with.
    if (read < 0) throw new EOFException("blob ended at " + position + ", expected " + end + " bytes");
    position += read;
    return read;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
