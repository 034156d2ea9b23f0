package dev.meridian.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Experiment: a file region sent as mapped windows through write(). */
final class MappedChunks implements ChunkedInput<ByteBuf> {
  private final FileChannel channel;
  private final long end;
  private final long start;
  private long offset;
  private final int window;

  MappedChunks(FileChannel channel, long position, long length, int window) {
    this.channel = channel;
    this.start = position;
    this.offset = position;
    this.end = position + length;
    this.window = window;
  }

  @Override public boolean isEndOfInput() { return offset >= end; }
  @Override public void close() {}
  @Override @Deprecated public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception { return readChunk(ctx.alloc()); }
  @Override public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
    if (offset >= end) return null;
    int n = (int) Math.min(window, end - offset);
    var mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, n);
    offset += n;
    return Unpooled.wrappedBuffer(mapped);
  }
  @Override public long length() { return end - start; }
  @Override public long progress() { return offset - start; }
}
