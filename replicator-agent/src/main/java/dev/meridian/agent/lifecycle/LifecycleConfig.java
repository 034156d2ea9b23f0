package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

/**
 * Settings of image lifecycle in one region (DESIGN.md §10).
 *
 * @param gc garbage collection of blobs and abandoned uploads
 */
public record LifecycleConfig(GarbageCollector.Settings gc) {
  public LifecycleConfig {
    requireNonNull(gc, "gc");
  }

  public static LifecycleConfig defaults() {
    return new LifecycleConfig(GarbageCollector.Settings.defaults());
  }

  public LifecycleConfig withGc(GarbageCollector.Settings settings) {
    return new LifecycleConfig(settings);
  }
}
