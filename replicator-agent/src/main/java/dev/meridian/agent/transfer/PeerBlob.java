package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A blob being read from a peer. The body is streamed: it must be closed, and it is never held in memory.
 *
 * @param content the response body
 * @param rangeHonoured whether the body starts at the offset asked for (a 206); when false it starts at 0
 * @param totalSize the blob's full size when the peer said it (Content-Range, or Content-Length of a 200)
 */
public record PeerBlob(InputStream content, boolean rangeHonoured, OptionalLong totalSize) implements Closeable {
  public PeerBlob {
    requireNonNull(content, "content");
    requireNonNull(totalSize, "totalSize");
  }

  /** The body as {@link ReadyBytes} when it can be read straight into the caller's buffer. */
  Optional<ReadyBytes> readyBytes() {
    return content instanceof ReadyBytes ready ? Optional.of(ready) : Optional.empty();
  }

  @Override
  public void close() {
    try {
      content.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
