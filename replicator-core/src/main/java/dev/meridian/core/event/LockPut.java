package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.util.Optional;

/**
 * The lock of a repository ({@code reference} empty), a tag or a manifest was set: both flags, whole, so the
 * register merges by stamp alone.
 */
public record LockPut(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository,
    Optional<Reference> reference, boolean writeEnabled, boolean deleteEnabled) implements ReplicationEvent {
  public LockPut {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(reference, "reference");
  }

  @Override
  public EventType type() {
    return EventType.LOCK_PUT;
  }
}
