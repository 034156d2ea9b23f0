package dev.meridian.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A glob over repository names, e.g. {@code team-a/*} or {@code eu-only/**}. Names are paths of segments
 * separated by {@code /}:
 *
 * <ul>
 *   <li>{@code **} as a whole segment matches zero or more whole segments, so {@code team-a/**} matches
 *       {@code team-a} itself and everything under it, {@code **}{@code /app} matches {@code app} and
 *       {@code x/y/app} (as Ant and Spring path patterns do);
 *   <li>{@code *} matches any characters within one segment: {@code team-a/*} matches {@code team-a/app}
 *       but not {@code team-a/x/app};
 *   <li>inside a segment, {@code **} matches any characters across segments ({@code team-**} matches
 *       {@code team-a/x/app}), and {@code ?} one character other than {@code /};
 *   <li>everything else matches itself.
 * </ul>
 *
 * Surprising: a pattern is checked against the repository name grammar (lower case, no empty segment), so a
 * pattern that could never match anything, such as {@code Team/*}, is refused rather than silently useless.
 */
public final class RepositoryGlob {
  private static final Pattern LITERAL_CHARS = Pattern.compile("[a-z0-9._\\-]");

  private final String text;
  private final Pattern regex;

  private RepositoryGlob(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /** The glob {@code text}; throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static RepositoryGlob parse(String text) {
    problem(text).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    return new RepositoryGlob(text, Pattern.compile(toRegex(text)));
  }

  /** Why {@code text} is not a glob, if it is not. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isEmpty()) return Optional.of("pattern is empty");
    if (text.startsWith("/") || text.endsWith("/")) return Optional.of("pattern '" + text + "' starts or ends with '/'");
    if (text.contains("//")) return Optional.of("pattern '" + text + "' has an empty segment ('//')");
    if (text.contains("***")) return Optional.of("pattern '" + text + "' has '***' (use * or **)");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/' || c == '*' || c == '?' || LITERAL_CHARS.matcher(String.valueOf(c)).matches()) continue;
      String why = Character.isUpperCase(c) ? "repository names are lower case" : "it never appears in a repository name";
      return Optional.of("pattern '" + text + "' has '" + c + "': " + why);
    }
    return Optional.empty();
  }

  public boolean matches(String repositoryName) {
    return regex.matcher(repositoryName).matches();
  }

  /** Whether this glob matches every repository name ({@code **}, however spelled): no name need be matched. */
  boolean matchesEveryName() {
    return regex.pattern().equals(".+");
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  private static String toRegex(String text) {
    List<String> segments = new ArrayList<>();
    for (String s : text.split("/", -1)) {
      // A run of whole-segment ** is one **: it already spans any number of segments.
      if (s.equals("**") && !segments.isEmpty() && segments.get(segments.size() - 1).equals("**")) continue;
      segments.add(s);
    }
    if (segments.size() == 1 && segments.get(0).equals("**")) return ".+";
    StringBuilder regex = new StringBuilder();
    boolean separatorTaken = true; // nothing before the first segment
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.equals("**")) {
        if (i == 0) {
          regex.append("(?:[^/]+/)*"); // brings the separator of the next segment with it
          separatorTaken = true;
        } else {
          regex.append("(?:/[^/]+)*"); // brings the separator before it, not the one after it
          separatorTaken = false;
        }
        continue;
      }
      if (!separatorTaken) regex.append('/');
      regex.append(segmentRegex(segment));
      separatorTaken = false;
    }
    return regex.toString();
  }

  private static String segmentRegex(String segment) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '*' && i + 1 < segment.length() && segment.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryGlob other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
