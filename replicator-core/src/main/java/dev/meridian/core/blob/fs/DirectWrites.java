package dev.meridian.core.blob.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes that bypass the page cache ({@code O_DIRECT}), for {@code BlobUpload.appendDirect}. A region copying a blob from a peer hashes the bytes in its
 * own buffer and syncs the file before it publishes it, and nobody reads those bytes back soon: a buffered write
 * would only copy them into freshly allocated page cache (the most expensive part of a catch-up copy on a VM,
 * where every new page is a fault in the host) and push out what pulls do read. The file system must support it,
 * and the buffer's address, its length and the file offset must all be multiples of its block size.
 */
final class DirectWrites {
  private static final Logger log = LoggerFactory.getLogger(DirectWrites.class);

  /** No direct writes: every append is buffered. */
  static final int NONE = 0;

  private static final java.util.Set<String> MEMORY_FILE_SYSTEMS = java.util.Set.of("tmpfs", "ramfs");

  private DirectWrites() {}

  /**
   * The alignment of direct writes in {@code dir}'s file system (its block size), or {@link #NONE} when it refuses
   * them (some network file systems), keeps files in memory anyway (tmpfs, ramfs), or its block size is not a power
   * of two up to 64 KiB.
   * Found by writing one block to a probe file, which is deleted again.
   */
  static int probe(Path dir) {
    long blockSize;
    try {
      var fileStore = Files.getFileStore(dir);
      if (MEMORY_FILE_SYSTEMS.contains(fileStore.type())) {
        // tmpfs takes O_DIRECT since Linux 6.6, but its files are the page cache: there is nothing to bypass.
        log.info("blobs.direct_writes supported=false dir={} reason=memory_file_system_{}", dir, fileStore.type());
        return NONE;
      }
      blockSize = fileStore.getBlockSize();
    } catch (IOException | UnsupportedOperationException e) {
      log.info("blobs.direct_writes supported=false dir={} reason={}", dir, e.toString());
      return NONE;
    }
    if (blockSize < 512 || blockSize > 64 * 1024 || Long.bitCount(blockSize) != 1) {
      log.info("blobs.direct_writes supported=false dir={} reason=block_size_{}", dir, blockSize);
      return NONE;
    }
    int alignment = (int) blockSize;
    Path probe = dir.resolve(".direct-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    ByteBuffer block = ByteBuffer.allocateDirect(2 * alignment).alignedSlice(alignment).limit(alignment);
    try (FileChannel channel = FileChannel.open(probe, CREATE_NEW, WRITE, ExtendedOpenOption.DIRECT)) {
      while (block.hasRemaining()) channel.write(block, block.position());
      log.info("blobs.direct_writes supported=true dir={} alignment={}", dir, alignment);
      return alignment;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("blobs.direct_writes supported=false dir={} reason={}", dir, e.toString());
      return NONE;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        log.warn("blobs.direct_probe_left file={} reason={}", probe, e.toString()); // tmp/ is emptied at the next start
      }
    }
  }

  /** Whether {@code bytes} can be written directly at {@code position}: address, length and offset all aligned. */
  static boolean fits(ByteBuffer bytes, long position, int alignment) {
    return alignment != NONE
        && bytes.isDirect()
        && bytes.hasRemaining()
        && bytes.remaining() % alignment == 0
        && position % alignment == 0
        && bytes.alignmentOffset(bytes.position(), alignment) == 0;
  }

  /** How a store opens a file for direct writes. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  /** Opens {@code file} for direct writes. */
  static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, WRITE, ExtendedOpenOption.DIRECT);
  }
}
