package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;

/** A tag was deleted; its register keeps the deletion as a tombstone with this stamp. */
public record TagDelete(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository, Tag tag)
    implements ReplicationEvent {
  public TagDelete {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(tag, "tag");
  }

  @Override
  public EventType type() {
    return EventType.TAG_DELETE;
  }
}
