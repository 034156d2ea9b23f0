package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileChunksTest {
  private static final int WINDOW = 8192;

  @TempDir Path dir;

  private Path file(byte[] content) throws Exception {
    Path file = dir.resolve("blob");
    Files.write(file, content);
    return file;
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aRangeComesOutWholeAndInOrderAcrossWindowsThatDoNotDivideIt() throws Exception {
    byte[] content = random(5 * WINDOW + 999);
    int first = 1234;
    int length = 3 * WINDOW + 17;
    try (FileChannel channel = FileChannel.open(file(content), StandardOpenOption.READ)) {
      var input = new MappedFileChunks(channel, first, length, WINDOW, new io.netty.channel.embedded.EmbeddedChannel());
      var out = new ByteArrayOutputStream();
      int chunks = 0;
      while (!input.isEndOfInput()) {
        ByteBuf chunk = input.readChunk(ByteBufAllocator.DEFAULT);
        assertThat(chunk.readableBytes()).isLessThanOrEqualTo(WINDOW);
        byte[] bytes = new byte[chunk.readableBytes()];
        chunk.readBytes(bytes);
        out.write(bytes);
        chunk.release();
        chunks++;
        assertThat(input.progress()).isEqualTo(out.size());
      }
      input.close();

      assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(content, first, first + length));
      assertThat(chunks).isEqualTo(4);
      assertThat(input.length()).isEqualTo(length);
      assertThat(input.readChunk(ByteBufAllocator.DEFAULT)).isNull();
    }
  }

  @Test
  void aWindowIsUnmappedOnceTheTransportHasReleasedItSoResidentMemoryStaysFlat() throws Exception {
    try (FileChannel channel = FileChannel.open(file(random(10 * WINDOW)), StandardOpenOption.READ)) {
      var input = new MappedFileChunks(channel, 0, 10 * WINDOW, WINDOW, new io.netty.channel.embedded.EmbeddedChannel());
      for (int i = 0; i < 10; i++) {
        input.readChunk(ByteBufAllocator.DEFAULT).release();
        assertThat(input.windowsMapped()).as("the one just handed out").isEqualTo(1);
      }
      input.close();
      assertThat(input.windowsMapped()).isZero();
    }
  }

  @Test
  void aWindowStillHeldByAPendingWriteWhenTheInputClosesStaysReadableUntilTheConnectionCloses() throws Exception {
    byte[] content = random(2 * WINDOW);
    try (FileChannel channel = FileChannel.open(file(content), StandardOpenOption.READ)) {
      var connection = new io.netty.channel.embedded.EmbeddedChannel();
      var input = new MappedFileChunks(channel, 0, content.length, WINDOW, connection);
      ByteBuf written = input.readChunk(ByteBufAllocator.DEFAULT);
      ByteBuf pending = input.readChunk(ByteBufAllocator.DEFAULT);
      written.release();
      input.close();

      // unmapped under a pending write, this read would fault the whole process, not fail an assertion
      byte[] bytes = new byte[pending.readableBytes()];
      pending.getBytes(pending.readerIndex(), bytes);
      assertThat(bytes).isEqualTo(Arrays.copyOfRange(content, WINDOW, 2 * WINDOW));
      assertThat(input.windowsMapped()).isEqualTo(1);

      pending.release(); // the failed connection's outbound buffer lets go of it, then the connection closes
      connection.close();
      connection.runPendingTasks();
      assertThat(input.windowsMapped()).as("unmapped once the connection closed").isZero();
    }
  }

  @Test
  void aNegativeRangeOrWindowIsRefused() throws Exception {
    try (FileChannel channel = FileChannel.open(file(random(10)), StandardOpenOption.READ)) {
      assertThatThrownBy(() -> new MappedFileChunks(channel, -1, 5, WINDOW, new io.netty.channel.embedded.EmbeddedChannel())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MappedFileChunks(channel, 0, -5, WINDOW, new io.netty.channel.embedded.EmbeddedChannel())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MappedFileChunks(channel, 0, 5, 0, new io.netty.channel.embedded.EmbeddedChannel())).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
