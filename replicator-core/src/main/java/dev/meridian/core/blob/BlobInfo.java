package dev.meridian.core.blob;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;

/** A stored blob's digest and size in bytes. */
public record BlobInfo(Digest digest, long size) {
  public BlobInfo {
    requireNonNull(digest, "digest");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
  }
}
