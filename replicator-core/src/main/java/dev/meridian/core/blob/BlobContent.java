package dev.meridian.core.blob;

import java.io.Closeable;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * An open, readable blob. It stays readable to the end even if the blob is deleted meanwhile (the file
 * handle outlives the directory entry), so a delete is safe while a reader streams.
 */
public interface BlobContent extends Closeable {
  BlobInfo info();

  /** The channel to stream from, positionally (for zero-copy file regions). Owned by this object. */
  FileChannel channel();

  /**
   * A stream of bytes {@code [from, toExclusive)}; closing it does not close this content. Throws
   * {@code RANGE_INVALID} unless {@code 0 <= from <= toExclusive <= size}.
   */
  InputStream openStream(long from, long toExclusive);

  @Override
  void close();
}
