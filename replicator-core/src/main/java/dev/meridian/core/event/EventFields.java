package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.text.AsciiGrammar;

/** Checks shared by every event record's constructor. */
final class EventFields {
  private EventFields() {}

  /**
   * {@code [\x21-\x7e]{1,128}}: printable ASCII without spaces, so a UUID fits and an id is always safe in a log line
   * or a key.
   */
  private static boolean isId(String text) {
    return AsciiGrammar.matches(text, AsciiGrammar.VISIBLE, AsciiGrammar.VISIBLE, 0, 127);
  }

  static void requireCommon(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository) {
    if (!isId(id)) {
      throw new IllegalArgumentException("invalid event id '" + id + "': use 1-128 printable ASCII characters");
    }
    requireNonNull(origin, "origin");
    requireNonNull(hlc, "hlc");
    requireNonNull(repository, "repository");
  }

  static String requireCredentialName(String name) {
    if (!isId(name)) {
      throw new IllegalArgumentException("invalid credential name '" + name + "': use 1-128 printable ASCII characters");
    }
    return name;
  }

  static long requireSize(long size) {
    if (size < 0) throw new IllegalArgumentException("negative size: " + size);
    return size;
  }
}
