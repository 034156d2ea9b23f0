package dev.meridian.core.blob.fs;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * A published blob held open by its file channel. The open handle keeps the bytes alive after a
 * delete (POSIX unlink semantics), and every read is positional, so any number of range streams may
 * read one content at once without sharing a position.
 */
final class FileBlobContent implements BlobContent {
  private final BlobInfo info;
  private final FileChannel channel;

  FileBlobContent(BlobInfo info, FileChannel channel) {
    this.info = requireNonNull(info, "info");
    this.channel = requireNonNull(channel, "channel");
  }

  @Override
  public BlobInfo info() {
    return info;
  }

  @Override
  public FileChannel channel() {
    return channel;
  }

  /** Throws {@code RANGE_INVALID} unless {@code 0 <= from <= toExclusive <= size}. */
  @Override
  public InputStream openStream(long from, long toExclusive) {
    if (from < 0 || from > toExclusive || toExclusive > info.size()) {
      throw new RegistryException(
          OciErrorCode.RANGE_INVALID,
          "range [" + from + ", " + toExclusive + ") outside blob of " + info.size() + " bytes",
          info.digest().toString(),
          OciErrorCode.RANGE_INVALID.httpStatus());
    }
    return new ChannelRangeInputStream(channel, from, toExclusive);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw FileOps.unchecked("closing " + info.digest(), e);
    }
  }
}
