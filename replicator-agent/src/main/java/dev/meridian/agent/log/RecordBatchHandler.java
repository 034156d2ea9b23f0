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

  /**
   * Called on the polling thread with each poll's records as soon as they arrive, while {@link #handle} may still
   * be busy with earlier ones: work that needs no state and can go ahead of the commit (replay stores the manifests
   * records carry). It must change nothing {@link #handle} relies on being absent; a record may be prepared more
   * than once (after a failed batch) or never. What it throws is logged and ignored.
   */
  default void prepare(List<LogRecord> batch) {}
}
