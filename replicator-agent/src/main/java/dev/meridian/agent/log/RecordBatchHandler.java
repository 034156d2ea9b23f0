package dev.meridian.agent.log;

import java.util.List;

/**
 * Receives each batch a {@link KafkaEventSubscriber} polls, on the subscriber's own thread, in log order
 * within each partition. If it throws, the whole batch is delivered again after a pause, so a handler must
 * apply records idempotently (replay does: DESIGN.md §3) and route records it can never apply to the
 * dead-letter topic rather than throw for them.
 */
@FunctionalInterface
public interface RecordBatchHandler {
  void handle(List<LogRecord> batch);
}
