package dev.meridian.agent.log;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a record replay cannot apply to {@code meridian.events.dlq}, byte for byte with its original key
 * and headers, plus a {@value #REASON_HEADER} header saying why and a {@value #SOURCE_HEADER} header saying
 * where it came from ({@code topic/partition@offset}). Replay goes on past it (DESIGN.md §4).
 */
public final class DeadLetterPublisher implements AutoCloseable {
  public static final String REASON_HEADER = "meridian.dlq.reason";
  public static final String SOURCE_HEADER = "meridian.dlq.source";

  private final String topic;
  private final NonBlockingProducer producer;

  public DeadLetterPublisher(String bootstrapServers, String topic, Duration maxBlock) {
    this(bootstrapServers, topic, maxBlock, Map.of());
  }

  /** With {@code clientProperties} (TLS, SASL) added to the producer's configuration. */
  public DeadLetterPublisher(String bootstrapServers, String topic, Duration maxBlock, Map<String, String> clientProperties) {
    this.topic = topic;
    this.producer = new NonBlockingProducer(
        bootstrapServers, "meridian-dlq", maxBlock, KafkaEventPublisher.DEFAULT_QUEUE_CAPACITY, clientProperties);
  }

  public static DeadLetterPublisher create(String bootstrapServers) {
    return create(bootstrapServers, Map.of());
  }

  public static DeadLetterPublisher create(String bootstrapServers, Map<String, String> clientProperties) {
    return new DeadLetterPublisher(bootstrapServers, KafkaTopics.DEAD_LETTERS, KafkaEventPublisher.DEFAULT_MAX_BLOCK,
        clientProperties);
  }

  /** Completes with the dead letter's position once Kafka acknowledged it. */
  public CompletableFuture<LogPosition> send(LogRecord record, String reason) {
    var headers = new HashMap<>(record.headers());
    headers.put(REASON_HEADER, reason);
    headers.put(SOURCE_HEADER, record.position().toString());
    return producer.send(topic, record.key().orElse(null), record.value(), headers);
  }

  @Override
  public void close() {
    producer.close();
  }
}
