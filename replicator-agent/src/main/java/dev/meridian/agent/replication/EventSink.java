package dev.meridian.agent.replication;

import java.util.concurrent.CompletableFuture;

/**
 * Where the outbox relay ships encoded events: the Kafka topic in production. The future completes once
 * the event is durable there, and only then is the outbox entry deleted.
 */
@FunctionalInterface
public interface EventSink {
  CompletableFuture<?> publish(String repositoryKey, byte[] encodedEvent);
}
