package dev.meridian.agent.notify;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.state.QueuedNotification;
import java.util.EnumSet;
import java.util.Set;

/** A delivery queue ({@code webhook}, {@code kafka}) and the notification types it takes. */
public record NotificationDestination(String queue, Set<NotificationType> types) {
  public static final String WEBHOOK = "webhook";
  public static final String KAFKA = "kafka";

  public NotificationDestination {
    QueuedNotification.requireQueueName(queue);
    requireNonNull(types, "types");
    if (types.isEmpty()) throw new IllegalArgumentException("destination " + queue + " takes no notification type");
    types = Set.copyOf(types);
  }

  /** A destination taking every type. */
  public static NotificationDestination all(String queue) {
    return new NotificationDestination(queue, EnumSet.allOf(NotificationType.class));
  }

  public boolean takes(NotificationType type) {
    return types.contains(type);
  }
}
