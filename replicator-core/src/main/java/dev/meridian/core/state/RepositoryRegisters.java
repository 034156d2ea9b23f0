package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.oci.RepositoryName;
import java.util.List;

/**
 * Every replicated register of one repository (tombstones included), as anti-entropy compares and sends them:
 * the merge state, not the local facts around it (transfer jobs, fallbacks, replica sets). Locks are registers
 * too: a lock lost on its way to a region is repaired like a tag.
 */
public record RepositoryRegisters(RepositoryName repository, List<TagRecord> tags, List<ManifestRecord> manifests,
    List<BlobLinkRecord> blobLinks, List<LockRecord> locks) {
  public RepositoryRegisters {
    requireNonNull(repository, "repository");
    tags = List.copyOf(tags);
    manifests = List.copyOf(manifests);
    blobLinks = List.copyOf(blobLinks);
    locks = List.copyOf(locks);
  }

  /** A repository without lock registers. */
  public RepositoryRegisters(RepositoryName repository, List<TagRecord> tags, List<ManifestRecord> manifests,
      List<BlobLinkRecord> blobLinks) {
    this(repository, tags, manifests, blobLinks, List.of());
  }

  public int size() {
    return tags.size() + manifests.size() + blobLinks.size() + locks.size();
  }
}
