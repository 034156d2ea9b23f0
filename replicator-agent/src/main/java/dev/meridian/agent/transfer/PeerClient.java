package dev.meridian.agent.transfer;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.Optional;

/**
 * A peer region's content, read over its OCI distribution API. Nothing it returns is verified: callers hold
 * the bytes to their digest.
 *
 * <p>Outages (I/O errors, timeouts, 5xx, 429) surface as {@link PeerUnavailableException}, worth retrying; a
 * 404 is a {@link dev.meridian.core.error.RegistryException} {@code BLOB_UNKNOWN} or {@code MANIFEST_UNKNOWN},
 * an answer: ask another region, not this one again.
 */
public interface PeerClient {
  /** The region this client reads from. */
  RegionId region();

  /** The manifest's bytes exactly as the peer serves them, at most {@code ManifestBytes.MAX_SIZE}. */
  byte[] fetchManifest(RepositoryName repository, Digest digest);

  /** Opens the blob from {@code fromByte} ({@code Range: bytes=N-}); the peer may ignore the range. */
  PeerBlob openBlob(RepositoryName repository, Digest digest, long fromByte);

  /**
   * As {@link #openBlob(RepositoryName, Digest, long)}, knowing the blob's size from its descriptor (0: unknown).
   * A peer hashes a blob before it answers a region (a corrupt copy is never sent), so its time to answer
   * grows with the size: HTTP peers wait for the response longer for a larger blob.
   */
  default PeerBlob openBlob(RepositoryName repository, Digest digest, long fromByte, long expectedSize) {
    return openBlob(repository, digest, fromByte);
  }

  /** Whether the peer serves the blob in this repository. The default opens it; HTTP peers ask with HEAD. */
  default boolean hasBlob(RepositoryName repository, Digest digest) {
    try (PeerBlob blob = openBlob(repository, digest, 0)) {
      return true;
    } catch (RegistryException e) {
      if (e.code() == OciErrorCode.BLOB_UNKNOWN) return false;
      throw e;
    }
  }

  /** The digest the peer serves {@code tag} as, if it serves it. Peers that cannot say answer empty. */
  default Optional<Digest> resolveTag(RepositoryName repository, Tag tag) {
    return Optional.empty();
  }
}
