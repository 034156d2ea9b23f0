package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Retention of untagged manifests (the manifests a re-pushed tag leaves behind): for how many days, 0 to 365,
 * an untagged manifest is kept, for the whole registry and per repository pattern (the first rule whose
 * pattern matches the whole repository name wins, else the registry's). Off (keep forever) by default.
 */
public record RetentionPolicy(Optional<Integer> untaggedDays, List<Rule> rules) {
  /** Untagged manifests of repositories matching {@code repository} are kept {@code days} days. */
  public record Rule(Pattern repository, int days) {
    public Rule {
      requireNonNull(repository, "repository");
      checkDays(days);
    }

    /** {@code REGEX=DAYS}. */
    public static Rule parse(String text) {
      int eq = text.lastIndexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("retention rule '" + text + "' is not REPO_REGEX=DAYS");
      try {
        return new Rule(Pattern.compile(text.substring(0, eq)), Integer.parseInt(text.substring(eq + 1)));
      } catch (NumberFormatException | PatternSyntaxException e) {
        throw new IllegalArgumentException("retention rule '" + text + "' is not REPO_REGEX=DAYS: " + e.getMessage());
      }
    }
  }

  public static final RetentionPolicy OFF = new RetentionPolicy(Optional.empty(), List.of());

  public RetentionPolicy {
    requireNonNull(untaggedDays, "untaggedDays");
    untaggedDays.ifPresent(RetentionPolicy::checkDays);
    rules = List.copyOf(rules);
  }

  public boolean enabled() {
    return untaggedDays.isPresent() || !rules.isEmpty();
  }

  /** How long an untagged manifest of this repository is kept; empty: forever. */
  public Optional<Duration> untaggedFor(String repository) {
    for (Rule rule : rules) {
      if (rule.repository().matcher(repository).matches()) return Optional.of(Duration.ofDays(rule.days()));
    }
    return untaggedDays.map(Duration::ofDays);
  }

  private static void checkDays(int days) {
    if (days < 0 || days > 365) throw new IllegalArgumentException("retention days must be 0 to 365: " + days);
  }
}
