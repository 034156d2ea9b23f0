package dev.meridian.core.oci;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.text.AsciiGrammar;

/** A tag, {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution spec). */
public record Tag(String value) implements Comparable<Tag> {
  private static final AsciiGrammar.CharClass FIRST = AsciiGrammar.alnumAnd("_");
  private static final AsciiGrammar.CharClass REST = AsciiGrammar.alnumAnd("._-");

  public Tag {
    if (!isValid(value)) {
      String shown = value == null ? "null" : value.length() > 140 ? value.substring(0, 140) + "..." : value;
      throw new RegistryException(OciErrorCode.TAG_INVALID, "invalid tag: " + shown, shown, 400);
    }
  }

  public static boolean isValid(String value) {
    return AsciiGrammar.matches(value, FIRST, REST, 0, 127);
  }

  /**
   * Written out, not the record's generated one, which goes through method handles that are slow until C2 compiles
   * them: it showed in a restarted region's replay profile, which compares and hashes these for every event.
   */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof Tag o && value.equals(o.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(Tag other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
