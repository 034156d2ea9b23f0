package dev.meridian.core.oci;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.text.AsciiGrammar;

/**
 * A repository name per the distribution spec's grammar, e.g. {@code team-a/app}: lower-case path
 * components separated by {@code /}, at most 255 characters. No component can be {@code .} or {@code ..},
 * so a name is safe to use in a key or a path.
 *
 * <p>See <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">the
 * spec's {@code <name>} grammar</a>.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
  public static final int MAX_LENGTH = 255;

  public RepositoryName {
    if (value == null || value.isEmpty()) throw invalid("repository name is empty", value);
    if (value.length() > MAX_LENGTH) {
      throw invalid("repository name longer than " + MAX_LENGTH + " characters", value.substring(0, 64) + "...");
    }
    if (!matchesGrammar(value)) throw invalid("invalid repository name: " + value, value);
  }

  public static boolean isValid(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && matchesGrammar(value);
  }

  /**
   * The spec's {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}, matched by one pass
   * instead of a regular expression: every replayed event names a repository, so this runs per event.
   */
  private static boolean matchesGrammar(String value) {
    int n = value.length();
    int i = 0;
    while (true) {
      // A component: alphanumerics, then any number of (separator, alphanumerics).
      if (i >= n || !isAlphanumeric(value.charAt(i))) return false;
      while (i < n && isAlphanumeric(value.charAt(i))) i++;
      while (i < n && value.charAt(i) != '/') {
        char c = value.charAt(i++);
        if (c == '_') {
          if (i < n && value.charAt(i) == '_') i++;
        } else if (c == '-') {
          while (i < n && value.charAt(i) == '-') i++;
        } else if (c != '.') {
          return false;
        }
        if (i >= n || !isAlphanumeric(value.charAt(i))) return false;
        while (i < n && isAlphanumeric(value.charAt(i))) i++;
      }
      if (i == n) return true;
      i++; // the '/' before the next component
    }
  }

  private static boolean isAlphanumeric(char c) {
    return AsciiGrammar.LOWER_ALNUM.contains(c);
  }

  private static RegistryException invalid(String message, String detail) {
    return new RegistryException(OciErrorCode.NAME_INVALID, message, detail, 400);
  }

  /**
   * Written out, not the record's generated one, which goes through method handles that are slow until C2 compiles
   * them: it showed in a restarted region's replay profile, which compares and hashes these for every event.
   */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof RepositoryName o && value.equals(o.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(RepositoryName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
