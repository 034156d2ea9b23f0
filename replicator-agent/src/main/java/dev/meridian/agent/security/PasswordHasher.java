package dev.meridian.agent.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * Salted, slow password hashes (bcrypt, {@code $2a$}): the only form in which a password is ever stored or
 * replicated. Passwords longer than bcrypt's 72 bytes are pre-hashed with SHA-512 rather than cut.
 * Verifying costs tens of milliseconds on purpose: never call it on an event loop.
 */
public final class PasswordHasher {
  public static final int DEFAULT_COST = 10;
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;

  private final int cost;
  private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
  private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));

  public PasswordHasher(int cost) {
    if (cost < 4 || cost > 31) throw new IllegalArgumentException("bcrypt cost must be 4-31: " + cost);
    this.cost = cost;
  }

  public PasswordHasher() {
    this(DEFAULT_COST);
  }

  public String hash(String password) {
    return hasher.hashToString(cost, password.toCharArray());
  }

  /** Whether {@code password} is the one {@code hash} was made from; false for a malformed hash. */
  public boolean verify(String password, String hash) {
    try {
      return verifyer.verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
