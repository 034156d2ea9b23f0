package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer to an {@link AccessRequest}: allowed (by whom), unauthorized (401: authenticate, or get a token
 * for {@code scopes}), or denied (403: this principal may not, whatever token it gets).
 * {@link Unauthorized#credentialsRejected()} tells a wrong password or a bad token from no credentials at all,
 * which is just the first step of every client's login and not worth an audit line.
 */
public sealed interface AccessDecision {
  record Allowed(Principal principal) implements AccessDecision {
    public Allowed {
      requireNonNull(principal, "principal");
    }
  }

  record Unauthorized(String message, List<String> scopes, boolean credentialsRejected, String who) implements AccessDecision {
    public Unauthorized {
      requireNonNull(message, "message");
      scopes = List.copyOf(scopes);
      requireNonNull(who, "who");
    }
  }

  record Denied(Principal principal, String message) implements AccessDecision {
    public Denied {
      requireNonNull(principal, "principal");
      requireNonNull(message, "message");
    }
  }
}
