package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.time.Instant;

/**
 * Durable work for the transfer workers: content this region must copy from a peer. A {@link Kind#MANIFEST}
 * job also marks its manifest as pending: the manifest is not served until the job is done, which is how
 * complete-before-visible is kept. A {@link Kind#BLOB} job is a prefetch started by a {@code blob.put}.
 *
 * @param origin the region that wrote the content: the first place to fetch it from
 * @param size the content's size in bytes when known (0 when not)
 */
public record TransferJob(RepositoryName repository, Digest digest, Kind kind, RegionId origin, long size, Instant createdAt) {
  /** What the job copies. */
  public enum Kind {
    MANIFEST,
    BLOB
  }

  public TransferJob {
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    requireNonNull(kind, "kind");
    requireNonNull(origin, "origin");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    requireNonNull(createdAt, "createdAt");
  }
}
