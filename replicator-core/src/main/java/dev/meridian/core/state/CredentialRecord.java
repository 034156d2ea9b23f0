package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A credential register (a user or a token of the registry's access control): its name, its value, or empty
 * for a deletion (a tombstone), and the stamp it merges by, like every other register. The value is
 * opaque here (the agent's security package writes and reads it); it holds a password hash, never a password.
 */
public record CredentialRecord(String name, Optional<String> value, Stamp stamp) {
  private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e]{1,128}");

  public CredentialRecord {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid credential name '" + name + "': use 1-128 printable ASCII characters");
    }
    requireNonNull(value, "value");
    requireNonNull(stamp, "stamp");
  }

  public boolean isDeleted() {
    return value.isEmpty();
  }
}
