package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code GET /admin/v1/replication/status}: per region whether the image is pullable there.
 *
 * @param expectedDigest for a tag, the digest the asking region resolves it to (its winning write)
 */
public record ReplicationReport(String repository, String reference, Optional<Digest> expectedDigest, List<Entry> regions) {
  /** One region's answer; {@code error} set when it did not answer ({@link ManifestStatus#UNKNOWN}). */
  public record Entry(String region, ManifestStatus status, Optional<Digest> servedDigest, Optional<String> error) {
    public Entry {
      requireNonNull(region, "region");
      requireNonNull(status, "status");
      requireNonNull(servedDigest, "servedDigest");
      requireNonNull(error, "error");
    }
  }

  public ReplicationReport {
    requireNonNull(repository, "repository");
    requireNonNull(reference, "reference");
    requireNonNull(expectedDigest, "expectedDigest");
    regions = List.copyOf(regions);
  }
}
