package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.oci.RepositoryName;
import java.util.List;

/**
 * Every replicated register of one repository (tombstones included), as anti-entropy compares and sends them:
 * the merge state, not the local facts around it (transfer jobs, fallbacks, replica sets).
 */
public record RepositoryRegisters(
    RepositoryName repository, List<TagRecord> tags, List<ManifestRecord> manifests, List<BlobLinkRecord> blobLinks) {
  public RepositoryRegisters {
    requireNonNull(repository, "repository");
    tags = List.copyOf(tags);
    manifests = List.copyOf(manifests);
    blobLinks = List.copyOf(blobLinks);
  }

  public int size() {
    return tags.size() + manifests.size() + blobLinks.size();
  }
}
