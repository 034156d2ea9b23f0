package dev.meridian.agent.admin;

import java.util.Locale;

/** Whether an image can be pulled from a region now: the answer of the replication status API. */
public enum ManifestStatus {
  /** The region serves the manifest and holds everything it references. */
  COMPLETE,
  /** The region knows the manifest but its content is still arriving; it is not served yet. */
  PENDING,
  /** The region does not know the manifest (or it was deleted there). */
  ABSENT,
  /** The region did not answer in time: nothing is known (fleet views only, with the error). */
  UNKNOWN,
  /**
   * The region's topology filter keeps the repository out: it never holds it, so there is nothing to wait for
   * (write barriers leave it out of {@code all}).
   */
  EXCLUDED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ManifestStatus parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
