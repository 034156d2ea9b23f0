package dev.meridian.core.replication;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RepositoryRegisters;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A register as the event its write produced at its origin (the same origin and HLC): what anti-entropy sends
 * to a region that may have missed the event, so that the receiver merges it by replaying it, with the very
 * planning replay uses. The conversion is {@link LocalChangeEvents}', run as if by the register's origin.
 *
 * <p>A deleted manifest becomes a {@code manifest.delete}, which carries no metadata; a blob link becomes a
 * {@code blob.put} with the blob's size here (0 when it is not here).
 */
public final class RegisterEvents {
  private final Supplier<String> ids;
  private final ToLongFunction<Digest> blobSize;

  public RegisterEvents(Supplier<String> ids, ToLongFunction<Digest> blobSize) {
    this.ids = ids;
    this.blobSize = blobSize;
  }

  /** Every register of the repository as an event: manifests first, then blob links, then tags. */
  public List<ReplicationEvent> of(RepositoryRegisters registers) {
    List<ReplicationEvent> events = new ArrayList<>(registers.size());
    for (ManifestRecord m : registers.manifests()) events.add(of(new StateWrite.PutManifest(m), m.stamp().origin()));
    for (BlobLinkRecord l : registers.blobLinks()) events.add(of(new StateWrite.PutBlobLink(l), l.stamp().origin()));
    for (TagRecord t : registers.tags()) events.add(of(new StateWrite.PutTag(t), t.stamp().origin()));
    return events;
  }

  private ReplicationEvent of(StateWrite write, RegionId origin) {
    return new LocalChangeEvents(origin, ids, blobSize).of(StateBatch.of(write)).get(0);
  }
}
