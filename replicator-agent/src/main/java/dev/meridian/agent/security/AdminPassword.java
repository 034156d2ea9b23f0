package dev.meridian.agent.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

/**
 * The password of the {@code admin} user: {@code MERIDIAN_ADMIN_PASSWORD} if set, else the one in
 * {@code <data-dir>/admin-password}, else a new random one written there (mode 0600). {@link #generated()} says
 * the last case happened, so the caller prints it once.
 */
public record AdminPassword(String value, boolean generated) {
  public static final String ENV = "MERIDIAN_ADMIN_PASSWORD";
  public static final String FILE_NAME = "admin-password";
  public static final String USERNAME = "admin";
  private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  public AdminPassword {
    if (value == null || value.isBlank()) throw new IllegalArgumentException("the admin password is empty");
  }

  public static AdminPassword resolve(Path dataDir, Map<String, String> env) {
    Optional<String> fromEnv = Optional.ofNullable(env.get(ENV)).filter(v -> !v.isBlank());
    if (fromEnv.isPresent()) return new AdminPassword(fromEnv.get(), false);
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) return new AdminPassword(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin password " + file, e);
    }
    AdminPassword fresh = new AdminPassword(random(24), true);
    FleetKey.SecretFiles.writeOwnerOnly(file, fresh.value());
    return fresh;
  }

  /** A random password of {@code length} unambiguous letters and digits. */
  public static String random(int length) {
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    return out.toString();
  }

  /** Writes this password to {@code file}, owner-only. */
  public void writeTo(Path file) {
    FleetKey.SecretFiles.writeOwnerOnly(file, value);
  }

  @Override
  public String toString() {
    return "AdminPassword[redacted]";
  }
}
