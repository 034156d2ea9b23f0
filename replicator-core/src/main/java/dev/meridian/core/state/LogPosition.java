package dev.meridian.core.state;

import dev.meridian.core.text.AsciiGrammar;

/**
 * A partition of a log topic, the unit a consumer keeps its offset for (a Kafka topic-partition, named
 * without Kafka's types so the core stays free of Kafka).
 *
 * <p>Topic names follow Kafka's grammar, {@code [a-zA-Z0-9._-]{1,249}}, so they never contain the
 * 0x00 byte the state store uses as a key separator.
 */
public record LogPosition(String topic, int partition) implements Comparable<LogPosition> {
  private static final AsciiGrammar.CharClass TOPIC = AsciiGrammar.alnumAnd("._-");

  public LogPosition {
    if (!AsciiGrammar.matches(topic, TOPIC, TOPIC, 0, 248)) throw new IllegalArgumentException("invalid topic: " + topic);
    if (partition < 0) throw new IllegalArgumentException("partition < 0: " + partition);
  }

  @Override
  public int compareTo(LogPosition o) {
    int c = topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
