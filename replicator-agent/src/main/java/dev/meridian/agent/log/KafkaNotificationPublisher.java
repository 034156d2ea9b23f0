package dev.meridian.agent.log;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes notifications (push, delete, replicated, quarantined: the webhooks' events) to
 * {@value KafkaTopics#NOTIFICATIONS} for pipelines, keyed by repository so one repository's notifications stay in
 * order. Idempotent, {@code acks=all}, never blocking its caller ({@link NonBlockingProducer}). The topic is created
 * on first use ({@link #ensureTopic}), not at start, so a fleet that never notifies never has it.
 */
public final class KafkaNotificationPublisher implements AutoCloseable {
  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private final NonBlockingProducer producer;

  /** With {@code clientProperties} (TLS, SASL) added to the producer's and the admin client's configuration. */
  public KafkaNotificationPublisher(String bootstrapServers, Map<String, String> clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = Map.copyOf(clientProperties);
    this.producer = new NonBlockingProducer(bootstrapServers, "meridian-notifications", KafkaEventPublisher.DEFAULT_MAX_BLOCK,
        KafkaEventPublisher.DEFAULT_QUEUE_CAPACITY, clientProperties);
  }

  /** Creates the topic unless it exists and waits until it takes writes (STACK.md pitfall 1). */
  public void ensureTopic(int partitions, short replicationFactor, Duration timeout) {
    try (KafkaTopics topics = new KafkaTopics(bootstrapServers, clientProperties)) {
      topics.ensure(KafkaTopics.NOTIFICATIONS, partitions, replicationFactor, timeout);
    }
  }

  /** Completes once Kafka acknowledged the record; fails with {@link EventLogException}. */
  public CompletableFuture<LogPosition> send(String key, byte[] value, Map<String, String> headers) {
    return producer.send(KafkaTopics.NOTIFICATIONS, key, value, headers);
  }

  @Override
  public void close() {
    producer.close();
  }
}
