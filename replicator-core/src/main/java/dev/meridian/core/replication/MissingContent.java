package dev.meridian.core.replication;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;

/**
 * Content a region lacks to hold a manifest completely.
 *
 * @param manifest whether it is a manifest (fetched from the manifests endpoint and then inspected for
 *     its own references) rather than a blob
 * @param size its size in bytes as the referencing descriptor states it
 */
public record MissingContent(Digest digest, boolean manifest, long size) {
  public MissingContent {
    requireNonNull(digest, "digest");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
  }
}
