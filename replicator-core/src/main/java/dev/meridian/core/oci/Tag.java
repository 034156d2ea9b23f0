package dev.meridian.core.oci;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.regex.Pattern;

/** A tag, {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution spec). */
public record Tag(String value) implements Comparable<Tag> {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  public Tag {
    if (value == null || !GRAMMAR.matcher(value).matches()) {
      String shown = value == null ? "null" : value.length() > 140 ? value.substring(0, 140) + "..." : value;
      throw new RegistryException(OciErrorCode.TAG_INVALID, "invalid tag: " + shown, shown, 400);
    }
  }

  public static boolean isValid(String value) {
    return value != null && GRAMMAR.matcher(value).matches();
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
