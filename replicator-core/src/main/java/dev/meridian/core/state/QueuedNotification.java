package dev.meridian.core.state;

import dev.meridian.core.text.AsciiGrammar;
import java.util.Arrays;

/**
 * One notification waiting in a delivery queue (a webhook, the notifications topic), under the sequence the store
 * assigned when the batch that appended it committed. Sequences only grow, so oldest-first is sequence order.
 */
public record QueuedNotification(String queue, long sequence, byte[] payload) {
  private static final AsciiGrammar.CharClass QUEUE_REST = AsciiGrammar.lowerAlnumAnd(".-");

  public QueuedNotification {
    requireQueueName(queue);
    if (sequence <= 0) throw new IllegalArgumentException("sequence <= 0: " + sequence);
    if (payload == null || payload.length == 0) throw new IllegalArgumentException("empty notification payload");
    payload = payload.clone();
  }

  /** A queue name is 1-63 of a-z, 0-9, '.' and '-' (it is part of a key: never 0x00). */
  public static String requireQueueName(String queue) {
    if (!AsciiGrammar.matches(queue, AsciiGrammar.LOWER_ALNUM, QUEUE_REST, 0, 62)) throw new IllegalArgumentException("invalid queue name: " + queue);
    return queue;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueuedNotification other && queue.equals(other.queue) && sequence == other.sequence
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return (queue.hashCode() * 31 + Long.hashCode(sequence)) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "QueuedNotification[" + queue + "#" + sequence + ", " + payload.length + " bytes]";
  }
}
