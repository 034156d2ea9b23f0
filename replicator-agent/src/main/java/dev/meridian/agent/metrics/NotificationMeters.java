package dev.meridian.agent.metrics;

import dev.meridian.agent.notify.NotificationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/**
 * Notifications, by {@code destination} ({@code webhook}, {@code kafka}: the notifications topic):
 * {@code meridian.webhook.delivered} (notifications delivered), {@code meridian.webhook.failed} (failed attempts,
 * each retried) and the gauge {@code meridian.webhook.queue} (entries waiting).
 */
final class NotificationMeters implements NotificationListener {
  private final MeterRegistry registry;

  NotificationMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void bindQueue(String destination, LongSupplier depth) {
    Gauge.builder("meridian.webhook.queue", depth, d -> d.getAsLong())
        .description("notifications waiting to be delivered").tag("destination", destination)
        .strongReference(true) // the supplier is a lambda nothing else holds: a weak reference would read NaN
        .register(registry);
    delivered(destination, 0);
    failed(destination, 0);
  }

  @Override
  public void delivered(String destination, int count) {
    Counter.builder("meridian.webhook.delivered").description("notifications delivered").tag("destination", destination)
        .register(registry).increment(count);
  }

  @Override
  public void failed(String destination) {
    failed(destination, 1);
  }

  private void failed(String destination, int count) {
    Counter.builder("meridian.webhook.failed").description("failed delivery attempts of notifications (each retried)")
        .tag("destination", destination).register(registry).increment(count);
  }
}
