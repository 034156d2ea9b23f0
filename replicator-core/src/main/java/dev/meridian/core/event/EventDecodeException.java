package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

/**
 * A record on the event log that is not a valid event for this reader. It is the only exception
 * {@link EventCodec#decode} throws; replay routes such a record to the dead-letter topic with
 * {@link #getMessage()} as the reason, and goes on.
 */
public final class EventDecodeException extends RuntimeException {
  /** Why a record was refused: a coarse, stable label for metrics and the dead-letter header. */
  public enum Reason {
    /** The bytes are not one JSON object. */
    MALFORMED,
    /** {@code "schema"} is missing, not an integer, or a version this reader does not know. */
    UNKNOWN_SCHEMA,
    /** {@code "type"} names no event type this reader knows. */
    UNKNOWN_TYPE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field is present but has the wrong JSON type or an invalid value. */
    INVALID_FIELD
  }

  private final Reason reason;

  public EventDecodeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public EventDecodeException(Reason reason, String message, Throwable cause) {
    super(requireNonNull(reason, "reason") + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
