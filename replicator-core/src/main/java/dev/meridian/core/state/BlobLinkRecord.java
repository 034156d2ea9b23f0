package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;

/** The blob link register: whether a repository may serve a blob of the region's shared store. */
public record BlobLinkRecord(RepositoryName repository, Digest digest, boolean linked, Stamp stamp) {
  public BlobLinkRecord {
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    requireNonNull(stamp, "stamp");
  }
}
