package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import java.util.Optional;

/**
 * What one region knows about one reference, as {@code GET /admin/v1/region/manifest-status} reports it:
 * enough for the asking region to decide, with {@link ReplicationVerdict}, whether the image it means is
 * pullable there.
 *
 * @param status this region's own view: for a digest whether it serves it; for a tag whether it serves the
 *     tag's winning manifest here ({@code pending} while the winner's content arrives, even if an older
 *     manifest is served meanwhile)
 * @param servedDigest what a pull of the reference gets here now
 * @param winningDigest for a tag, the digest its register holds here (empty if unknown or deleted)
 * @param winningStamp for a tag, the stamp of its register here, tombstones included
 * @param expectedStatus the status here of the digest the asking region expects, when it said one
 */
public record ManifestFacts(
    String region,
    ManifestStatus status,
    Optional<Digest> servedDigest,
    Optional<Digest> winningDigest,
    Optional<Stamp> winningStamp,
    Optional<ManifestStatus> expectedStatus) {
  public ManifestFacts {
    requireNonNull(region, "region");
    requireNonNull(status, "status");
    requireNonNull(servedDigest, "servedDigest");
    requireNonNull(winningDigest, "winningDigest");
    requireNonNull(winningStamp, "winningStamp");
    requireNonNull(expectedStatus, "expectedStatus");
  }
}
