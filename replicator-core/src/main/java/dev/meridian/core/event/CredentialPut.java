package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;

/**
 * A credential (a user or token of access control) was created or changed: {@code value} is its opaque form,
 * holding a password hash, never a password. Credential events belong to no repository: they carry
 * {@link #CREDENTIALS} as theirs, which keys them on the log (so they stay in order).
 */
public record CredentialPut(String id, RegionId origin, HlcTimestamp hlc, String name, String value) implements ReplicationEvent {
  /** The pseudo-repository of every credential event. */
  public static final RepositoryName CREDENTIALS = new RepositoryName("meridian.credentials");

  public CredentialPut {
    EventFields.requireCommon(id, origin, hlc, CREDENTIALS);
    EventFields.requireCredentialName(name);
    requireNonNull(value, "value");
  }

  @Override
  public RepositoryName repository() {
    return CREDENTIALS;
  }

  @Override
  public EventType type() {
    return EventType.CREDENTIAL_PUT;
  }
}
