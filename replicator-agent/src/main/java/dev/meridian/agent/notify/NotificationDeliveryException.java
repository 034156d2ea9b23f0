package dev.meridian.agent.notify;

/** A notification was not delivered this time (receiver down, non-2xx answer, the log unreachable): retried later. */
public final class NotificationDeliveryException extends RuntimeException {
  public NotificationDeliveryException(String message) {
    super(message);
  }

  public NotificationDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
