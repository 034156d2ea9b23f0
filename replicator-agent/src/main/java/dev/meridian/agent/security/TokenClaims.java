package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/** What a verified registry token says: who it was issued to, what it grants, and until when. */
public record TokenClaims(String subject, Principal.Kind kind, List<TokenAccess> access, Instant expiresAt) {
  public TokenClaims {
    requireNonNull(subject, "subject");
    requireNonNull(kind, "kind");
    access = List.copyOf(access);
    requireNonNull(expiresAt, "expiresAt");
  }

  public boolean allows(String type, String name, String action) {
    return access.stream().anyMatch(a -> a.allows(type, name, action));
  }
}
