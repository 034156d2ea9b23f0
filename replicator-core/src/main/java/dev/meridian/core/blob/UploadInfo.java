package dev.meridian.core.blob;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An upload session as the store holds it: its id, the bytes received so far and when the last of them
 * arrived (its data file's modification time), which tells an abandoned session from a slow one.
 */
public record UploadInfo(UploadId id, long size, Instant lastModified) {
  public UploadInfo {
    requireNonNull(id, "id");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    requireNonNull(lastModified, "lastModified");
  }
}
