package dev.meridian.core.oci;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.regex.Pattern;

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
  private static final Pattern GRAMMAR =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  public RepositoryName {
    if (value == null || value.isEmpty()) throw invalid("repository name is empty", value);
    if (value.length() > MAX_LENGTH) {
      throw invalid("repository name longer than " + MAX_LENGTH + " characters", value.substring(0, 64) + "...");
    }
    if (!GRAMMAR.matcher(value).matches()) throw invalid("invalid repository name: " + value, value);
  }

  public static boolean isValid(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
  }

  private static RegistryException invalid(String message, String detail) {
    return new RegistryException(OciErrorCode.NAME_INVALID, message, detail, 400);
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
