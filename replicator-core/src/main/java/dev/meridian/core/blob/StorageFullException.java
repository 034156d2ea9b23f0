package dev.meridian.core.blob;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The blob store's disk is full ({@code ENOSPC}, or a quota: {@code EDQUOT}). A condition of this region, not an
 * answer about content and not a peer's fault: writers stop, clean up what they half wrote, and try again later.
 *
 * <p>Java reports both as a plain {@link IOException}; the OS message is the only way to tell them apart.
 */
public final class StorageFullException extends UncheckedIOException {
  public StorageFullException(String message, IOException cause) {
    super(message, cause);
  }

  /** Whether {@code failure} or one of its causes is the file system running out of space. */
  public static boolean isOutOfSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageFullException) return true;
      String message = t.getMessage();
      if (t instanceof IOException && message != null
          && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
        return true;
      }
      if (t.getCause() == t) break;
    }
    return false;
  }
}
