package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code --filter} of {@code meridian purge}, {@code REPO_REGEX:TAG_REGEX} as {@code acr purge} takes it: both
 * regular expressions must match the whole repository name and the whole tag. Repository names hold no colon,
 * so the first colon separates the two.
 */
public record PurgeFilter(Pattern repository, Pattern tag) {
  public PurgeFilter {
    requireNonNull(repository, "repository");
    requireNonNull(tag, "tag");
  }

  /** Parses; {@link IllegalArgumentException} with a message fit for the user. */
  public static PurgeFilter parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("filter '" + text + "' is not REPO_REGEX:TAG_REGEX");
    }
    try {
      return new PurgeFilter(Pattern.compile(text.substring(0, colon)), Pattern.compile(text.substring(colon + 1)));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("filter '" + text + "' has a bad regular expression: " + e.getDescription());
    }
  }

  public boolean matchesRepository(String name) {
    return repository.matcher(name).matches();
  }

  public boolean matchesTag(String name) {
    return tag.matcher(name).matches();
  }

  @Override
  public String toString() {
    return repository.pattern() + ":" + tag.pattern();
  }
}
