package dev.meridian.agent.log;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Properties an operator adds to every Kafka client of a region (producers, the consumer, the admin client):
 * TLS ({@code security.protocol=SSL}, {@code ssl.truststore.location}, ...) and SASL ({@code sasl.mechanism},
 * {@code sasl.jaas.config}, ...). They are applied over Meridian's own settings, except the few that replay and
 * the relay rely on for correctness (idempotence, acknowledgements, serializers, offsets kept in RocksDB, the
 * bootstrap servers from the fleet file): those are refused, so a typo cannot quietly weaken durability.
 */
public final class KafkaClientProperties {
  /** Settings Meridian owns. */
  public static final Set<String> RESERVED = Set.of(
      "bootstrap.servers", "acks", "enable.idempotence", "key.serializer", "value.serializer",
      "key.deserializer", "value.deserializer", "enable.auto.commit", "auto.offset.reset", "group.id");

  private KafkaClientProperties() {}

  /** Checks {@code extra}: throws naming every reserved or empty key at once. */
  public static Map<String, String> validate(Map<String, String> extra) {
    Set<String> refused = new TreeSet<>();
    for (String key : extra.keySet()) {
      if (key == null || key.isBlank() || RESERVED.contains(key.trim())) refused.add(String.valueOf(key));
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("Kafka properties Meridian sets itself cannot be overridden: " + refused);
    }
    return Map.copyOf(extra);
  }

  /** {@code base} with {@code extra} applied over it. */
  static Properties apply(Properties base, Map<String, String> extra) {
    validate(extra);
    Properties merged = new Properties();
    merged.putAll(base);
    extra.forEach((key, value) -> merged.put(key.trim(), value));
    return merged;
  }
}
