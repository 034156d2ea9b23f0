package dev.meridian.agent.log;

import java.util.List;

/**
 * Receives each batch a {@link KafkaEventSubscriber} polls, on the subscriber's own thread, in log order
 * within each partition. If it throws, the whole batch is delivered again after a pause, so a handler must
 * apply records idempotently (replay does: DESIGN.md §3) and route records it can never apply to the
 * dead-letter topic rather than throw for them.
 *
 * @param <P> what {@link #prepare} makes of a record ahead of {@link #handle(List, List)}
 */
@FunctionalInterface
public interface RecordBatchHandler<P> {
  /** Handles a batch nothing was prepared for. */
  void handle(List<LogRecord> batch);

  /**
   * Handles a batch with what {@link #prepare} made of its records: {@code prepared.get(i)} is for
   * {@code batch.get(i)}, null where nothing was (a poll whose preparation failed). By default, as if nothing was.
   */
  default void handle(List<LogRecord> batch, List<P> prepared) {
    handle(batch);
  }

  /**
   * Called on the polling thread with each poll's records as soon as they arrive, while {@link #handle} may still
   * be busy with earlier ones: work that needs no state and can go ahead of the commit (replay checks and decodes
   * each record, and stores the manifests records carry). Returns one result per record, in order, which travels
   * with it to {@link #handle(List, List)} however the polls are cut into batches; or null for none. It must change
   * nothing {@link #handle} relies on being absent; a record may be prepared more than once (after a failed batch)
   * or never. What it throws is logged and ignored, and that poll's records arrive with nothing prepared.
   */
  default List<P> prepare(List<LogRecord> poll) {
    return null;
  }
}
