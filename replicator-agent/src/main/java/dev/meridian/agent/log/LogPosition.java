package dev.meridian.agent.log;

import static java.util.Objects.requireNonNull;

/** Where a record sits in the log: topic, partition, offset. {@code topic/partition@offset} in logs. */
public record LogPosition(String topic, int partition, long offset) {
  public LogPosition {
    requireNonNull(topic, "topic");
    if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
    if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
  }

  @Override
  public String toString() {
    return topic + "/" + partition + "@" + offset;
  }
}
