package dev.meridian.agent.notify;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One delivery queue as the admin API shows it.
 *
 * @param target the webhook URL, or the topic
 * @param queued entries waiting (the oldest is being delivered or retried)
 * @param delivered notifications delivered since the agent started
 * @param failedAttempts attempts that failed since the agent started
 * @param lastError why the latest attempt failed, while failing
 * @param nextAttempt when the next attempt is due, while failing
 */
public record NotificationStatus(String destination, String target, long queued, long delivered, long failedAttempts,
    Optional<String> lastError, Optional<Instant> lastDelivery, Optional<Instant> nextAttempt) {
  public NotificationStatus {
    requireNonNull(destination, "destination");
    requireNonNull(target, "target");
    requireNonNull(lastError, "lastError");
    requireNonNull(lastDelivery, "lastDelivery");
    requireNonNull(nextAttempt, "nextAttempt");
  }
}
