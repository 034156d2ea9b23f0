package dev.meridian.core.blob.fs;

import dev.meridian.core.blob.StorageFullException;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file-system steps the blob store repeats: positional writes, fsyncs, hashing, removal. */
final class FileOps {
  /** Fixed for every copy and re-hash, so memory never grows with the size of a blob. */
  static final int BUFFER_SIZE = 64 * 1024;

  private FileOps() {}

  /** Writes all of {@code bytes} at {@code position}; a channel may write less than asked per call. */
  static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
    long at = position;
    while (bytes.hasRemaining()) {
      at += channel.write(bytes, at);
    }
  }

  /**
   * Makes a directory's entries durable: a rename or a new file survives a power loss only once its
   * parent directory is synced too. Linux allows fsync on a directory opened for reading.
   */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Hashes bytes {@code [0, size)} of the channel by positional reads (its position is untouched). */
  static Digester hash(FileChannel channel, long size, DigestAlgorithm algorithm) throws IOException {
    Digester digester = new Digester(algorithm);
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    long position = 0;
    while (position < size) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
      int read = channel.read(buffer, position);
      if (read < 0) throw new IOException("file shorter than expected: " + position + " < " + size);
      position += read;
      digester.update(buffer.flip());
    }
    return digester;
  }

  /** Removes a file or a directory tree; what is already gone is fine. */
  static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) deleteRecursively(child);
      } catch (NoSuchFileException gone) {
        return;
      }
    }
    Files.deleteIfExists(path);
  }

  /** Best-effort removal on a failure path: the original exception matters more than this one. */
  static void deleteQuietly(Path path, Throwable primary) {
    try {
      deleteRecursively(path);
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  /** {@link StorageFullException} when the disk is full, so callers can tell that from other I/O errors. */
  static UncheckedIOException unchecked(String what, IOException e) {
    if (StorageFullException.isOutOfSpace(e)) return new StorageFullException("out of disk space: " + what + ": " + e.getMessage(), e);
    return new UncheckedIOException(what + ": " + e.getMessage(), e);
  }
}
