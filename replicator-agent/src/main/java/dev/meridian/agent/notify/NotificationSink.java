package dev.meridian.agent.notify;

import dev.meridian.core.state.QueuedNotification;
import java.util.List;

/** Where one delivery queue's notifications go: a webhook receiver, the notifications topic. */
public interface NotificationSink extends AutoCloseable {

  /** How many of the oldest entries {@link #deliver} is given at once. */
  int batchSize();

  /**
   * Delivers a prefix of {@code head} (in order) and returns its length, at least 1; throws
   * {@link NotificationDeliveryException} when not even the first could be delivered.
   */
  int deliver(List<QueuedNotification> head);

  @Override
  default void close() {}
}
