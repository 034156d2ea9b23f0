package dev.meridian.core.state;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One event waiting in the outbox to be shipped to the log, under the sequence the store assigned when
 * the batch that appended it committed. Sequences only grow, also across restarts, so oldest-first is
 * sequence order.
 *
 * <p>The payload array is copied in and out: a record holding an array would otherwise be mutable and
 * compare by identity.
 */
public record OutboxEntry(long sequence, byte[] payload) {
  public OutboxEntry {
    if (sequence <= 0) throw new IllegalArgumentException("sequence <= 0: " + sequence);
    if (payload == null || payload.length == 0) throw new IllegalArgumentException("empty outbox payload");
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxEntry other && sequence == other.sequence && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    String shown = payload.length <= 32
        ? HexFormat.of().formatHex(payload)
        : HexFormat.of().formatHex(payload, 0, 32) + "...";
    return "OutboxEntry[sequence=" + sequence + ", payload=" + payload.length + " bytes " + shown + "]";
  }
}
