package dev.meridian.core.state;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.util.Map;

/**
 * A region's replicated registers read from one point in time, with the consumer offsets they reflect: what a
 * new region seeds itself from (DESIGN.md §7).
 *
 * <p>Consistency is the point: the offsets and every register come from the same instant, so the registers hold
 * exactly the log's events before those offsets, plus this region's own writes (some of which may still wait in
 * the outbox: they are in the registers, and reach the log later). Records are visited as they are read, never
 * gathered: a registry may hold millions of tags.
 */
public interface RegisterSnapshots {

  /** Visits, from one consistent snapshot, the offsets first, then manifests, tags, blob links, locks and replicas. */
  void readSnapshot(Visitor visitor);

  /** Sees one snapshot's content, in the order {@link #readSnapshot} documents. */
  interface Visitor {
    /** The next offset to consume of every log partition this region replayed. */
    void offsets(Map<LogPosition, Long> offsets);

    void manifest(ManifestRecord manifest);

    void tag(TagRecord tag);

    void blobLink(BlobLinkRecord link);

    /** A lock register: a region seeded from the snapshot must enforce the locks set before it joined. */
    void lock(LockRecord lock);

    /** {@code region} is known to hold the manifest completely. */
    void replica(RepositoryName repository, Digest digest, RegionId region);
  }
}
