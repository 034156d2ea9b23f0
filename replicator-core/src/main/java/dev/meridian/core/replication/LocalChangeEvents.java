package dev.meridian.core.replication;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.event.CredentialDelete;
import dev.meridian.core.event.CredentialPut;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The change events a batch of this region's own register writes produces (DESIGN.md §4). Writes
 * stamped by another region are replicated writes and produce none: that is what keeps replication
 * loop-free. Pure: ids and blob sizes come in as functions.
 */
public final class LocalChangeEvents {
  private final RegionId self;
  private final Supplier<String> ids;
  private final ToLongFunction<Digest> blobSize;

  public LocalChangeEvents(RegionId self, Supplier<String> ids, ToLongFunction<Digest> blobSize) {
    this.self = self;
    this.ids = ids;
    this.blobSize = blobSize;
  }

  public List<ReplicationEvent> of(StateBatch batch) {
    List<ReplicationEvent> events = new ArrayList<>();
    for (StateWrite write : batch.writes()) {
      if (write instanceof StateWrite.PutTag w && isOwn(w.tag().stamp().origin())) {
        events.add(tagEvent(w.tag()));
      } else if (write instanceof StateWrite.PutManifest w && isOwn(w.manifest().stamp().origin())) {
        events.add(manifestEvent(w.manifest()));
      } else if (write instanceof StateWrite.PutBlobLink w && isOwn(w.link().stamp().origin())) {
        events.add(blobEvent(w.link()));
      } else if (write instanceof StateWrite.PutLock w && isOwn(w.lock().stamp().origin())) {
        var l = w.lock();
        events.add(new dev.meridian.core.event.LockPut(ids.get(), self, l.stamp().hlc(), l.repository(), l.reference(),
            l.writeEnabled(), l.deleteEnabled()));
      } else if (write instanceof StateWrite.PutCredential w && isOwn(w.credential().stamp().origin())) {
        CredentialRecord c = w.credential();
        events.add(c.value().<ReplicationEvent>map(v -> new CredentialPut(ids.get(), self, c.stamp().hlc(), c.name(), v))
            .orElseGet(() -> new CredentialDelete(ids.get(), self, c.stamp().hlc(), c.name())));
      }
    }
    return events;
  }

  private boolean isOwn(RegionId origin) {
    return origin.equals(self);
  }

  private ReplicationEvent tagEvent(TagRecord t) {
    return t.digest()
        .<ReplicationEvent>map(d -> new TagPut(ids.get(), self, t.stamp().hlc(), t.repository(), t.tag(), d))
        .orElseGet(() -> new TagDelete(ids.get(), self, t.stamp().hlc(), t.repository(), t.tag()));
  }

  private ReplicationEvent manifestEvent(ManifestRecord m) {
    if (!m.present()) return new ManifestDelete(ids.get(), self, m.stamp().hlc(), m.repository(), m.digest());
    return new ManifestPut(ids.get(), self, m.stamp().hlc(), m.repository(), m.digest(), m.mediaType(), m.size(),
        m.references(), m.subject(), m.artifactType(), m.annotations());
  }

  private ReplicationEvent blobEvent(BlobLinkRecord l) {
    if (!l.linked()) return new BlobUnlink(ids.get(), self, l.stamp().hlc(), l.repository(), l.digest());
    return new BlobPut(ids.get(), self, l.stamp().hlc(), l.repository(), l.digest(), blobSize.applyAsLong(l.digest()));
  }
}
