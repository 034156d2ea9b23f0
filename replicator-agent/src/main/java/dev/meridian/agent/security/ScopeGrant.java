package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** One line of a scope map: a repository pattern and the actions it allows there, written {@code PATTERN:ACTION[,ACTION...]}. */
public record ScopeGrant(RepositoryPattern pattern, Set<Action> actions) {
  public ScopeGrant {
    requireNonNull(pattern, "pattern");
    if (actions == null || actions.isEmpty()) throw new IllegalArgumentException("a grant needs at least one action");
    actions = Set.copyOf(actions);
  }

  /** Parses {@code team-a/*:pull,push}; throws {@link IllegalArgumentException} naming what is wrong. */
  public static ScopeGrant parse(String text) {
    requireNonNull(text, "scope");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("invalid scope '" + text + "': expected PATTERN:ACTION[,ACTION...], e.g. team-a/*:pull,push");
    }
    Set<Action> actions = Action.parseAll(text.substring(colon + 1), false);
    if (actions.isEmpty()) throw new IllegalArgumentException("invalid scope '" + text + "': no action");
    return new ScopeGrant(new RepositoryPattern(text.substring(0, colon)), actions);
  }

  public boolean allows(String repository, Action action) {
    return actions.contains(action) && pattern.matches(repository);
  }

  @Override
  public String toString() {
    return pattern + ":" + EnumSet.copyOf(actions).stream().map(Action::wireName).collect(Collectors.joining(","));
  }
}
