package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/** A token the token endpoint hands out, with its lifetime in the units the token spec answers. */
public record IssuedToken(String token, Duration expiresIn, Instant issuedAt, Principal principal) {
  public IssuedToken {
    requireNonNull(token, "token");
    requireNonNull(expiresIn, "expiresIn");
    requireNonNull(issuedAt, "issuedAt");
    requireNonNull(principal, "principal");
  }
}
