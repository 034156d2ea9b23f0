package dev.meridian.agent.notify;

import java.util.Arrays;
import java.util.Locale;

/** What a notification tells of; its wire name is the envelope's {@code action}. */
public enum NotificationType {
  /** A manifest pushed here by a client (by tag or digest), or restored here. */
  PUSH,
  /** A manifest or a tag deleted here by a client (also by purge and retention, which delete like one). */
  DELETE,
  /** A manifest written elsewhere became complete and servable here (its content all arrived). */
  REPLICATED,
  /** The scrubber found a blob here corrupt and moved it out of the store. */
  QUARANTINED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code name} ({@code push}, {@code delete}, {@code replicated}, {@code quarantined}). */
  public static NotificationType parse(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown notification event: " + name
            + " (expected push, delete, replicated or quarantined)"));
  }
}
