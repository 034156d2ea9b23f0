package dev.meridian.agent.log;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One record read from the event log, as replay sees it: where it sits, its key (the repository name) and
 * its raw value, not yet decoded, so that a record which does not decode can still go to the dead-letter
 * topic byte for byte.
 *
 * <p>A record with no value (a Kafka tombstone) has an empty {@code value}. Equality compares the value
 * array by reference, as records do.
 */
public record LogRecord(
    String topic,
    int partition,
    long offset,
    Optional<String> key,
    byte[] value,
    Map<String, String> headers,
    long timestampMillis) {
  public LogRecord {
    requireNonNull(topic, "topic");
    if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
    if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    headers = Map.copyOf(headers);
  }

  public LogPosition position() {
    return new LogPosition(topic, partition, offset);
  }
}
