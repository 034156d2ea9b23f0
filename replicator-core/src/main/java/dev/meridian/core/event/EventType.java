package dev.meridian.core.event;

import java.util.Optional;

/** The event types of DESIGN.md §4, with the names they carry in the {@code "type"} field on the wire. */
public enum EventType {
  BLOB_PUT("blob.put"),
  MANIFEST_PUT("manifest.put"),
  TAG_PUT("tag.put"),
  TAG_DELETE("tag.delete"),
  MANIFEST_DELETE("manifest.delete"),
  BLOB_UNLINK("blob.unlink"),
  REPLICA_ACK("replica.ack"),
  LOCK_PUT("lock.put"),
  CREDENTIAL_PUT("credential.put"),
  CREDENTIAL_DELETE("credential.delete");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EventType> byWireName(String name) {
    for (EventType t : values()) {
      if (t.wireName.equals(name)) return Optional.of(t);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
