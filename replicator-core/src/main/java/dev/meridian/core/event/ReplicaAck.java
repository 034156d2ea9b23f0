package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;

/**
 * {@code region} now holds a manifest completely, every blob and child verified. It is the only event a
 * replicated write produces, and it teaches peers where content can be fetched from.
 */
public record ReplicaAck(
    String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Digest digest, RegionId region)
    implements ReplicationEvent {
  public ReplicaAck {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(digest, "digest");
    requireNonNull(region, "region");
  }

  @Override
  public EventType type() {
    return EventType.REPLICA_ACK;
  }
}
