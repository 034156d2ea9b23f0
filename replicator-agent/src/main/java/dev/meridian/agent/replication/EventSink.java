package dev.meridian.agent.replication;

import dev.meridian.core.event.ReplicationEvent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the outbox relay ships encoded events: the Kafka topic in production. The future completes once
 * the event is durable there, and only then is the outbox entry deleted.
 */
@FunctionalInterface
public interface EventSink {
  /** {@code event} is the decoded {@code encodedEvent}, empty if it could not be decoded. */
  CompletableFuture<?> publish(String repositoryKey, byte[] encodedEvent, Optional<ReplicationEvent> event);
}
