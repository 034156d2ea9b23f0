package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.time.Instant;

/**
 * A blob this region copied ahead of any manifest (a {@code blob.put} prefetch). If no manifest claims it
 * within a grace period it is garbage: the origin's client never pushed the manifest, or pushed another.
 */
public record PrefetchedBlob(RepositoryName repository, Digest digest, Instant fetchedAt) {
  public PrefetchedBlob {
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    requireNonNull(fetchedAt, "fetchedAt");
  }
}
