package dev.meridian.agent.lifecycle;

/** Told about each garbage collection (metrics implement it). */
public interface GcListener {
  GcListener NONE = new GcListener() {};

  /** A collection finished (a dry run too: {@link GcReport#dryRun()}). */
  default void collected(GcReport report) {}

  /** A collection failed part-way; what it deleted before stays deleted. */
  default void failed() {}
}
