package dev.meridian.agent.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet's shared secret: 32 random bytes, hex in {@code <data-dir>/fleet-key} (mode 0600) or in
 * {@code MERIDIAN_FLEET_KEY}, which wins. Every region of a fleet must hold the same key: a region with another
 * one rejects its peers' events and requests. It is never sent: each use gets its own key derived from it
 * ({@link #derive}): the fleet credential regions present to each other, the key that signs registry tokens (so a
 * token minted by one region verifies in all), and the key that signs replication events.
 */
public final class FleetKey {
  public static final String ENV = "MERIDIAN_FLEET_KEY";
  public static final String FILE_NAME = "fleet-key";
  public static final String FILE = FILE_NAME;
  private static final int MIN_BYTES = 16;

  private final byte[] key;

  private FleetKey(byte[] key) {
    if (key.length < MIN_BYTES) throw new IllegalArgumentException("a fleet key needs at least " + MIN_BYTES + " bytes");
    this.key = key.clone();
  }

  /** A key from its hex form; throws {@link IllegalArgumentException} for anything else. */
  public static FleetKey ofHex(String hex) {
    try {
      return new FleetKey(HexFormat.of().parseHex(hex.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid fleet key: expected at least " + MIN_BYTES * 2 + " hex digits", e);
    }
  }

  /** A key of these bytes (at least 16). */
  public static FleetKey of(byte[] bytes) {
    return new FleetKey(bytes);
  }

  /** A fresh random key. */
  public static FleetKey random() {
    return generate();
  }

  /** {@link #resolve} with this process's environment. */
  public static FleetKey load(Path dataDir) {
    return resolve(dataDir, System.getenv());
  }

  /** The key in {@code file}, a new one written there (mode 0600) if it is missing. */
  public static FleetKey fromFile(Path file) {
    try {
      if (Files.exists(file)) return ofHex(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fleet key " + file, e);
    }
    FleetKey fresh = generate();
    fresh.writeTo(file);
    return fresh;
  }

  /** Writes this key to {@code file} unless one is there. */
  public void writeIfMissing(Path file) {
    if (!Files.exists(file)) writeTo(file);
  }

  public static FleetKey generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new FleetKey(bytes);
  }

  /**
   * The key of a region with data in {@code dataDir}: {@code MERIDIAN_FLEET_KEY} if set, else the file, else a
   * new key written to the file (a standalone region, or the first start of one that will share it).
   */
  public static FleetKey resolve(Path dataDir, Map<String, String> env) {
    Optional<String> fromEnv = Optional.ofNullable(env.get(ENV)).filter(v -> !v.isBlank());
    if (fromEnv.isPresent()) return ofHex(fromEnv.get());
    return fromFile(dataDir.resolve(FILE_NAME));
  }

  /** Writes the key, readable by its owner only. */
  public void writeTo(Path file) {
    SecretFiles.writeOwnerOnly(file, hex());
  }

  public String hex() {
    return HexFormat.of().formatHex(key);
  }

  /** HMAC-SHA256 of {@code purpose} under this key: a key of its own for each use. */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The password regions present to each other (user {@link FleetCredential#USERNAME}). */
  public String credential() {
    return HexFormat.of().formatHex(derive("meridian/fleet-credential/v1"));
  }

  /** The key replication events are signed with ({@code EventSigner}). */
  public byte[] eventSigningKey() {
    return derive(dev.meridian.core.event.EventSigner.KEY_PURPOSE);
  }

  /** The key registry tokens are signed with. */
  public byte[] tokenSigningKey() {
    return derive("meridian/token-signing/v1");
  }

  /** Constant-time comparison, for credentials. */
  static boolean sameSecret(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "FleetKey[redacted]";
  }

  /** Small helpers for files holding secrets. */
  static final class SecretFiles {
    private SecretFiles() {}

    static void writeOwnerOnly(Path file, String content) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
          Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
          Files.createFile(temp);
        }
        Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }
}
