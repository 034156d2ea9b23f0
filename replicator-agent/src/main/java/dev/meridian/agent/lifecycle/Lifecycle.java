package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

/** One region's lifecycle machinery, as the admin API reaches it: garbage collection, purge and retention. */
public record Lifecycle(GarbageCollector gc, Purger purger, RetentionRunner retention, java.time.Duration softDelete,
    StorageUsage usage) {
  public Lifecycle {
    requireNonNull(gc, "gc");
    requireNonNull(purger, "purger");
    requireNonNull(retention, "retention");
  }
}
