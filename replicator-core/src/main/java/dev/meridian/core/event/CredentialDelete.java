package dev.meridian.core.event;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;

/** A credential was deleted (revoked); its register keeps the deletion as a tombstone with this stamp. */
public record CredentialDelete(String id, RegionId origin, HlcTimestamp hlc, String name) implements ReplicationEvent {
  public CredentialDelete {
    EventFields.requireCommon(id, origin, hlc, CredentialPut.CREDENTIALS);
    EventFields.requireCredentialName(name);
  }

  @Override
  public RepositoryName repository() {
    return CredentialPut.CREDENTIALS;
  }

  @Override
  public EventType type() {
    return EventType.CREDENTIAL_DELETE;
  }
}
