package dev.meridian.core.state;

import java.util.List;

/**
 * The durable delivery queues of notifications ({@link StateWrite.AppendNotification} fills them, in the batch of
 * the change they tell of). A dispatcher reads a queue's oldest entries and deletes each once delivered: delivery
 * is at least once.
 */
public interface NotificationQueues {

  /** The oldest entries of {@code queue}, in sequence order, at most {@code limit}. */
  default List<QueuedNotification> readNotifications(String queue, int limit) {
    return readNotificationsAfter(queue, 0, limit);
  }

  /**
   * The oldest entries of {@code queue} whose sequence is above {@code sequence}, in sequence order, at most
   * {@code limit}; sequences start at 1, so 0 reads from the oldest. A reader that remembers the last entry it
   * deleted starts its next read right after it: the deleted entries before it are tombstones the store would
   * otherwise step over at every read until it compacts them, and a busy queue deletes thousands a minute.
   */
  List<QueuedNotification> readNotificationsAfter(String queue, long sequence, int limit);

  /**
   * Removes a delivered entry; removing one that is gone does nothing. Not synced: after a power loss a deleted
   * entry may come back and be delivered again (receivers deduplicate by the notification's id).
   */
  void deleteNotification(String queue, long sequence);

  /** {@link #deleteNotification} of each of {@code sequences}; the store's implementation does them in one write. */
  default void deleteNotifications(String queue, List<Long> sequences) {
    for (long sequence : sequences) deleteNotification(queue, sequence);
  }

  /** How many entries wait in {@code queue}. */
  long notificationCount(String queue);
}
