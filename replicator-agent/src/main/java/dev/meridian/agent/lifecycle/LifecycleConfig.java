package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.notify.NotificationConfig;
import java.time.Duration;

/**
 * Settings of image lifecycle in one region (DESIGN.md §11).
 *
 * @param gc garbage collection of blobs and abandoned uploads
 * @param retention retention of untagged manifests; only the fleet's owner region's policy is applied
 * @param retentionInterval how often the owner applies it
 * @param quota storage quotas of the registry and its namespaces
 * @param softDelete how long a deleted manifest stays restorable (its content kept); zero: off
 * @param notifications the webhook and the notifications topic
 */
public record LifecycleConfig(GarbageCollector.Settings gc, RetentionPolicy retention, Duration retentionInterval,
    Duration softDelete, QuotaPolicy quota, NotificationConfig notifications) {
  public LifecycleConfig {
    requireNonNull(notifications, "notifications");
    requireNonNull(gc, "gc");
    requireNonNull(retention, "retention");
    requireNonNull(retentionInterval, "retentionInterval");
    if (retentionInterval.isNegative() || retentionInterval.isZero()) {
      throw new IllegalArgumentException("retention interval must be positive: " + retentionInterval);
    }
    requireNonNull(softDelete, "softDelete");
    requireNonNull(quota, "quota");
    if (softDelete.isNegative() || softDelete.compareTo(Duration.ofDays(90)) > 0) {
      throw new IllegalArgumentException("soft delete retention must be 0 to 90 days: " + softDelete);
    }
  }

  public LifecycleConfig(GarbageCollector.Settings gc, RetentionPolicy retention, Duration retentionInterval,
      Duration softDelete, QuotaPolicy quota) {
    this(gc, retention, retentionInterval, softDelete, quota, NotificationConfig.defaults());
  }

  public static LifecycleConfig defaults() {
    return new LifecycleConfig(GarbageCollector.Settings.defaults(), RetentionPolicy.OFF, Duration.ofHours(1), Duration.ZERO, QuotaPolicy.UNLIMITED);
  }

  public LifecycleConfig withGc(GarbageCollector.Settings settings) {
    return new LifecycleConfig(settings, retention, retentionInterval, softDelete, quota, notifications);
  }

  public LifecycleConfig withRetention(RetentionPolicy policy) {
    return new LifecycleConfig(gc, policy, retentionInterval, softDelete, quota, notifications);
  }

  public LifecycleConfig withSoftDelete(Duration retention) {
    return new LifecycleConfig(gc, this.retention, retentionInterval, retention, quota, notifications);
  }

  public LifecycleConfig withQuota(QuotaPolicy policy) {
    return new LifecycleConfig(gc, retention, retentionInterval, softDelete, policy, notifications);
  }

  public LifecycleConfig withNotifications(NotificationConfig settings) {
    return new LifecycleConfig(gc, retention, retentionInterval, softDelete, quota, settings);
  }
}
