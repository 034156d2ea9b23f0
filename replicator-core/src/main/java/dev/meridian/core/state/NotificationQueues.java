package dev.meridian.core.state;

import java.util.List;

/**
 * The durable delivery queues of notifications ({@link StateWrite.AppendNotification} fills them, in the batch of
 * the change they tell of). A dispatcher reads a queue's oldest entries and deletes each once delivered: delivery
 * is at least once.
 */
public interface NotificationQueues {

  /** The oldest entries of {@code queue}, in sequence order, at most {@code limit}. */
  List<QueuedNotification> readNotifications(String queue, int limit);

  /**
   * Removes a delivered entry; removing one that is gone does nothing. Not synced: after a power loss a deleted
   * entry may come back and be delivered again (receivers deduplicate by the notification's id).
   */
  void deleteNotification(String queue, long sequence);

  /** How many entries wait in {@code queue}. */
  long notificationCount(String queue);
}
