package dev.meridian.agent.notify;

/** Told what the delivery queues do (metrics). Called on a dispatcher's thread; must be quick. */
public interface NotificationListener {
  NotificationListener NONE = new NotificationListener() {};

  /** {@code count} notifications reached {@code destination} (a 2xx answer, the log's acknowledgement). */
  default void delivered(String destination, int count) {}

  /** An attempt to deliver to {@code destination} failed; it is retried after a backoff. */
  default void failed(String destination) {}
}
