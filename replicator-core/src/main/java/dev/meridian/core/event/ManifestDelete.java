package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;

/** A manifest was deleted from a repository by digest. */
public record ManifestDelete(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Digest digest)
    implements ReplicationEvent {
  public ManifestDelete {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(digest, "digest");
  }

  @Override
  public EventType type() {
    return EventType.MANIFEST_DELETE;
  }
}
