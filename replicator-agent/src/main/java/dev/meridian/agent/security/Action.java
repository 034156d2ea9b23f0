package dev.meridian.agent.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a credential may do to a repository. The names are the registry token scope's ({@code pull},
 * {@code push}, {@code delete}) plus {@code metadata-read}: list tags and referrers without pulling content.
 */
public enum Action {
  PULL("pull"),
  PUSH("push"),
  DELETE("delete"),
  METADATA_READ("metadata-read");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The action named {@code name}; {@code *} is not one (see {@link #parseAll}). */
  public static Optional<Action> byWireName(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    for (Action a : values()) {
      if (a.wireName.equals(lower)) return Optional.of(a);
    }
    return Optional.empty();
  }

  /**
   * The actions of a comma-separated list, as a scope carries them; {@code *} means all. Unknown names are
   * skipped when {@code lenient} (a client may ask for actions this registry has no use for), else refused.
   */
  public static Set<Action> parseAll(String list, boolean lenient) {
    Set<Action> actions = EnumSet.noneOf(Action.class);
    for (String part : list.split(",")) {
      if (part.isBlank()) continue;
      if (part.trim().equals("*")) return EnumSet.allOf(Action.class);
      Optional<Action> action = byWireName(part);
      if (action.isPresent()) {
        actions.add(action.get());
      } else if (!lenient) {
        throw new IllegalArgumentException("unknown action '" + part.trim() + "': use pull, push, delete or metadata-read");
      }
    }
    return actions;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
