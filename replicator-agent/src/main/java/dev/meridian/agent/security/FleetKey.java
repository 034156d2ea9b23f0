package dev.meridian.agent.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The secret every member of a fleet shares: it signs replication events (and authenticates regions to each
 * other). Every region of a fleet must hold the same key; a region with another key rejects its peers' events.
 *
 * <p>{@link #load} takes the environment variable {@value #ENV} when set (its UTF-8 bytes, trimmed), else the file
 * {@value #FILE} in the data directory, created with 32 random bytes and mode 0600 when missing. So one process
 * with its own data directory runs out of the box, and a fleet of processes shares the key through the
 * environment or a copied file.
 */
public final class FleetKey {
  public static final String ENV = "MERIDIAN_FLEET_KEY";
  public static final String FILE = "fleet-key";
  private static final int GENERATED_BYTES = 32;
  private static final int MIN_BYTES = 16;

  private final byte[] bytes;

  private FleetKey(byte[] bytes) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("fleet key too short: " + bytes.length + " bytes, at least " + MIN_BYTES);
    }
    this.bytes = bytes.clone();
  }

  /** The key from {@value #ENV}, else from {@code dataDir/fleet-key} (created if missing). */
  public static FleetKey load(Path dataDir) {
    return load(dataDir, System.getenv());
  }

  static FleetKey load(Path dataDir, Map<String, String> environment) {
    String fromEnv = environment.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) return new FleetKey(fromEnv.trim().getBytes(StandardCharsets.UTF_8));
    return fromFile(dataDir.resolve(FILE));
  }

  /** The key in {@code file}, created with 32 random bytes (mode 0600) if missing. */
  public static FleetKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) create(file);
      return new FleetKey(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fleet key " + file, e);
    }
  }

  /** A key of these bytes (at least 16). */
  public static FleetKey of(byte[] bytes) {
    return new FleetKey(bytes);
  }

  /** A fresh random key. */
  public static FleetKey random() {
    byte[] bytes = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(bytes);
    return new FleetKey(bytes);
  }

  /** Writes this key to {@code file} (mode 0600) unless one is there. */
  public void writeIfMissing(Path file) {
    if (Files.exists(file)) return;
    try {
      write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fleet key " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] fresh = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(fresh);
    write(file, fresh);
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      // Created with 0600 from the start: the secret is never readable by others, not even for a moment.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // another process created it first: use theirs
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
  }

  /** The key's bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return "FleetKey[" + bytes.length + " bytes]"; // never the secret
  }
}
