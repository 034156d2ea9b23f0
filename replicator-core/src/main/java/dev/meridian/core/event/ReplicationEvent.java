package dev.meridian.core.event;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.oci.RepositoryName;

/**
 * A change one region made to one repository, carried on {@code meridian.events} (DESIGN.md §4). Events hold
 * metadata only, never blob bytes. A replicated event keeps its original {@link #origin()} and {@link #hlc()},
 * so applying it anywhere, any number of times, in any order, converges on the same state.
 *
 * <p>{@link #id()} is unique per event (a UUID in practice); it lets a consumer recognise a duplicate
 * delivery, but correctness never depends on it because every apply is idempotent.
 */
public sealed interface ReplicationEvent
    permits BlobPut, ManifestPut, TagPut, TagDelete, ManifestDelete, BlobUnlink, ReplicaAck, LockPut, CredentialPut,
        CredentialDelete {

  String id();

  RegionId origin();

  HlcTimestamp hlc();

  RepositoryName repository();

  /** The wire name of this event's type, e.g. {@code manifest.put}. */
  EventType type();

  /** Who wrote it and when: the order registers merge by. */
  default Stamp stamp() {
    return new Stamp(hlc(), origin());
  }
}
