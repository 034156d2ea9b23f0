package dev.meridian.agent.security;

import java.util.regex.Pattern;

/**
 * Which repositories a grant covers: an exact name ({@code team-a/app}), every repository one level below a
 * prefix ({@code team-a/*}: {@code team-a/app} but not {@code team-a/x/app}), every repository at any depth
 * below it ({@code team-a/**}), or all of them ({@code **}). {@code *} stands only for a whole last
 * component, never for part of one.
 */
public record RepositoryPattern(String value) {
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  public RepositoryPattern {
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("empty repository pattern");
    String[] parts = value.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      boolean wildcard = parts[i].equals("*") || parts[i].equals("**");
      if (wildcard && !last) {
        throw new IllegalArgumentException("invalid repository pattern '" + value + "': * and ** may only end it");
      }
      if (!wildcard && !COMPONENT.matcher(parts[i]).matches()) {
        throw new IllegalArgumentException("invalid repository pattern '" + value + "': '" + parts[i]
            + "' is neither a name component (a-z, 0-9, separators . _ -) nor * or **");
      }
    }
  }

  /** Whether {@code repository} (a valid repository name) is covered. */
  public boolean matches(String repository) {
    if (value.equals("**")) return true;
    if (value.endsWith("/**")) {
      String prefix = value.substring(0, value.length() - 2);
      return repository.startsWith(prefix) && repository.length() > prefix.length();
    }
    if (value.equals("*")) return !repository.contains("/");
    if (value.endsWith("/*")) {
      String prefix = value.substring(0, value.length() - 1);
      return repository.startsWith(prefix) && repository.length() > prefix.length()
          && repository.indexOf('/', prefix.length()) < 0;
    }
    return value.equals(repository);
  }

  /** Whether this pattern covers every repository. */
  public boolean coversAll() {
    return value.equals("**");
  }

  @Override
  public String toString() {
    return value;
  }
}
