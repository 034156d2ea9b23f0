package dev.meridian.agent.log;

import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes {@link ReplicationEvent}s to {@code meridian.events}: keyed by repository name, so one
 * repository's events stay in one partition and in order; idempotent producer with {@code acks=all}, so an
 * acknowledged event is on every in-sync replica and a retried send is not duplicated.
 *
 * <p>{@link #send} never blocks: while the broker is unreachable a send waits up to {@code maxBlock} on the
 * publisher's own thread and then fails its future (see {@link NonBlockingProducer}). It is safe to call from
 * a Netty event loop, though the outbox relay is the intended caller: it deletes an outbox entry only
 * when its future completes normally.
 */
public final class KafkaEventPublisher implements AutoCloseable {
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(60);
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  private final EventCodec codec = new EventCodec();
  private final String topic;
  private final NonBlockingProducer producer;

  public KafkaEventPublisher(String bootstrapServers, String topic, Duration maxBlock, int queueCapacity) {
    this(bootstrapServers, topic, maxBlock, queueCapacity, Map.of());
  }

  /** With {@code clientProperties} (TLS, SASL) added to the producer's configuration. */
  public KafkaEventPublisher(String bootstrapServers, String topic, Duration maxBlock, int queueCapacity,
      Map<String, String> clientProperties) {
    this.topic = topic;
    this.producer = new NonBlockingProducer(bootstrapServers, "meridian-events", maxBlock, queueCapacity, clientProperties);
  }

  public static KafkaEventPublisher create(String bootstrapServers) {
    return create(bootstrapServers, Map.of());
  }

  public static KafkaEventPublisher create(String bootstrapServers, Map<String, String> clientProperties) {
    return new KafkaEventPublisher(bootstrapServers, KafkaTopics.EVENTS, DEFAULT_MAX_BLOCK, DEFAULT_QUEUE_CAPACITY,
        clientProperties);
  }

  /** Completes with the event's position once Kafka acknowledged it; fails with {@link EventLogException}. */
  public CompletableFuture<LogPosition> send(ReplicationEvent event) {
    return producer.send(topic, event.repository().value(), codec.encode(event), Map.of());
  }

  /**
   * Publishes an event already encoded (an outbox entry) under its repository's key, without decoding and
   * encoding it again.
   */
  public CompletableFuture<LogPosition> send(String repositoryKey, byte[] encodedEvent) {
    return send(repositoryKey, encodedEvent, Map.of());
  }

  /** As {@link #send(String, byte[])}, with record headers (the event's signature). */
  public CompletableFuture<LogPosition> send(String repositoryKey, byte[] encodedEvent, Map<String, String> headers) {
    return producer.send(topic, repositoryKey, encodedEvent, headers);
  }

  @Override
  public void close() {
    producer.close();
  }
}
