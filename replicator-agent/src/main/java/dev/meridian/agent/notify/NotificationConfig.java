package dev.meridian.agent.notify;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Notifications of one region (DESIGN.md §11): at most one webhook, and whether they also go to the notifications
 * topic (fleet members only; on by default).
 *
 * @param backoff how failed deliveries are retried (to the webhook and to the topic)
 * @param timeout how long one webhook POST may take, connection included
 */
public record NotificationConfig(Optional<Webhook> webhook, boolean kafka, RetryBackoff backoff, Duration timeout) {
  public NotificationConfig {
    requireNonNull(webhook, "webhook");
    requireNonNull(backoff, "backoff");
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("webhook timeout must be positive");
  }

  /**
   * A webhook receiver.
   *
   * @param secretFile the HMAC secret; absent: {@code DIR/webhook-secret}, created when missing
   * @param events the notification types it is sent
   */
  public record Webhook(URI url, Optional<Path> secretFile, Set<NotificationType> events) {
    public Webhook {
      requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
        throw new IllegalArgumentException("webhook URL must be http(s)://HOST[:PORT]/...: " + url);
      }
      requireNonNull(secretFile, "secretFile");
      requireNonNull(events, "events");
      if (events.isEmpty()) throw new IllegalArgumentException("a webhook needs at least one event type");
      events = Set.copyOf(events);
    }

    /** Every event type, the secret in the data directory. */
    public static Webhook to(URI url) {
      return new Webhook(url, Optional.empty(), EnumSet.allOf(NotificationType.class));
    }
  }

  /** No webhook; the topic on (for a fleet member). */
  public static NotificationConfig defaults() {
    return new NotificationConfig(Optional.empty(), true, RetryBackoff.defaults(), Duration.ofSeconds(10));
  }

  public NotificationConfig withWebhook(Webhook hook) {
    return new NotificationConfig(Optional.of(hook), kafka, backoff, timeout);
  }

  public NotificationConfig withKafka(boolean enabled) {
    return new NotificationConfig(webhook, enabled, backoff, timeout);
  }

  public NotificationConfig withBackoff(RetryBackoff retries) {
    return new NotificationConfig(webhook, kafka, retries, timeout);
  }
}
