package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

/**
 * Who a request comes from, once authenticated, and what it may do. {@link Kind#FLEET} is another region of
 * the fleet (the fleet credential): it may do anything and is the only principal whose internal requests
 * ({@code Meridian-Internal}) are honoured.
 */
public record Principal(String name, Kind kind, ScopeMap scopes) {
  /** Where a principal comes from. */
  public enum Kind { ADMIN, USER, TOKEN, FLEET, ANONYMOUS }

  public static final String ANONYMOUS_NAME = "anonymous";

  public Principal {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(scopes, "scopes");
  }

  public static Principal anonymous(ScopeMap scopes) {
    return new Principal(ANONYMOUS_NAME, Kind.ANONYMOUS, scopes);
  }

  public boolean isAnonymous() {
    return kind == Kind.ANONYMOUS;
  }

  public boolean isFleet() {
    return kind == Kind.FLEET;
  }
}
