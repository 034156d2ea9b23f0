package dev.meridian.agent.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a credential may do: its grants (the union of them) and whether it holds the admin role, which
 * allows every action on every repository and the admin API ({@code /admin/v1}).
 */
public record ScopeMap(List<ScopeGrant> grants, boolean admin) {
  public static final ScopeMap NONE = new ScopeMap(List.of(), false);
  public static final ScopeMap ADMIN = new ScopeMap(List.of(), true);

  public ScopeMap {
    grants = List.copyOf(grants);
  }

  public static ScopeMap of(List<ScopeGrant> grants) {
    return new ScopeMap(grants, false);
  }

  public boolean allows(String repository, Action action) {
    return admin || grants.stream().anyMatch(g -> g.allows(repository, action));
  }

  /** The subset of {@code requested} allowed on {@code repository}: what a token for it may carry. */
  public Set<Action> granted(String repository, Set<Action> requested) {
    Set<Action> granted = EnumSet.noneOf(Action.class);
    for (Action action : requested) {
      if (allows(repository, action)) granted.add(action);
    }
    // A pull request from a credential that may only read metadata still gets that: tags stay listable.
    if (requested.contains(Action.PULL) && !granted.contains(Action.PULL) && allows(repository, Action.METADATA_READ)) {
      granted.add(Action.METADATA_READ);
    }
    return granted;
  }

  /** Whether {@code action} is allowed on every repository (what listing the whole catalog needs). */
  public boolean allowsEverywhere(Action action) {
    return admin || grants.stream().anyMatch(g -> g.pattern().coversAll() && g.actions().contains(action));
  }
}
