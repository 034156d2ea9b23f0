package dev.meridian.core.replication;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.LockPut;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.RepositoryRegisters;
import java.util.ArrayList;
import java.util.List;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.TagRecord;

/**
 * A register as the event that writes it, with the register's own origin and HLC: so a snapshot of registers is
 * merged by the replay rules ({@link ReplayPlanner}) and lands exactly where the original writes would. Pure.
 *
 * <p>What an event cannot carry is lost: a deleted manifest's metadata (the tombstone is what matters), and a blob
 * link's size (0, unknown). Event ids are {@code snapshot-REGION-N}: they are never on the log. Used for a joining
 * region's snapshot (§7) and for anti-entropy's per-repository repair. Not thread-safe: one instance per stream.
 */
public final class RegisterEvents {
  private final RegionId source;
  private long next;

  /** @param source the region whose snapshot this is (it names the ids and the replica lines' origin) */
  public RegisterEvents(RegionId source) {
    this.source = source;
  }

  public ReplicationEvent of(ManifestRecord m) {
    if (!m.present()) return new ManifestDelete(id(), m.stamp().origin(), m.stamp().hlc(), m.repository(), m.digest());
    return new ManifestPut(id(), m.stamp().origin(), m.stamp().hlc(), m.repository(), m.digest(), m.mediaType(), m.size(),
        m.references(), m.subject(), m.artifactType(), m.annotations());
  }

  public ReplicationEvent of(TagRecord t) {
    return t.digest()
        .<ReplicationEvent>map(d -> new TagPut(id(), t.stamp().origin(), t.stamp().hlc(), t.repository(), t.tag(), d))
        .orElseGet(() -> new TagDelete(id(), t.stamp().origin(), t.stamp().hlc(), t.repository(), t.tag()));
  }

  public ReplicationEvent of(BlobLinkRecord l) {
    return l.linked()
        ? new BlobPut(id(), l.stamp().origin(), l.stamp().hlc(), l.repository(), l.digest(), 0)
        : new BlobUnlink(id(), l.stamp().origin(), l.stamp().hlc(), l.repository(), l.digest());
  }

  public ReplicationEvent of(LockRecord l) {
    return new LockPut(id(), l.stamp().origin(), l.stamp().hlc(), l.repository(), l.reference(), l.writeEnabled(), l.deleteEnabled());
  }

  /** Every register of one repository as events: manifests first, then blob links, then tags, then locks. */
  public List<ReplicationEvent> of(RepositoryRegisters registers) {
    List<ReplicationEvent> events = new ArrayList<>(registers.size());
    for (ManifestRecord m : registers.manifests()) events.add(of(m));
    for (BlobLinkRecord l : registers.blobLinks()) events.add(of(l));
    for (TagRecord t : registers.tags()) events.add(of(t));
    for (LockRecord l : registers.locks()) events.add(of(l));
    return events;
  }

  /** A replica set member, as an ack sent by the snapshot's source at HLC 0 (acks are not registers: no stamp). */
  public ReplicationEvent replica(RepositoryName repository, Digest digest, RegionId region) {
    return new ReplicaAck(id(), source, HlcTimestamp.ZERO, repository, digest, region);
  }

  private String id() {
    return "snapshot-" + source.value() + "-" + (next++);
  }
}
