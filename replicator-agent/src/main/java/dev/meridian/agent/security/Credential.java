package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A stored credential: a user or a token (a credential for a pipeline), its password as a bcrypt hash only,
 * and its scope map. Names are 1-64 of a-z, 0-9, {@code .}, {@code _}, {@code -}; {@code admin},
 * {@code anonymous} and the fleet's user are reserved.
 */
public record Credential(String name, Kind kind, String passwordHash, ScopeMap scopes) {
  /** A person, or a token handed to a pipeline. */
  public enum Kind { USER, TOKEN }

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public Credential {
    requireValidName(name);
    requireNonNull(kind, "kind");
    if (passwordHash == null || !passwordHash.startsWith("$2")) throw new IllegalArgumentException("not a bcrypt hash");
    requireNonNull(scopes, "scopes");
  }

  /** Throws {@link IllegalArgumentException} naming the problem if {@code name} cannot be a credential's. */
  public static String requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid credential name '" + name + "': use 1-64 of a-z, 0-9, '.', '_', '-'");
    }
    if (name.equals(AdminPassword.USERNAME) || name.equals(Principal.ANONYMOUS_NAME) || name.equals(FleetCredential.USERNAME)) {
      throw new IllegalArgumentException("the name '" + name + "' is reserved");
    }
    return name;
  }

  public Principal principal() {
    return new Principal(name, kind == Kind.USER ? Principal.Kind.USER : Principal.Kind.TOKEN, scopes);
  }
}
