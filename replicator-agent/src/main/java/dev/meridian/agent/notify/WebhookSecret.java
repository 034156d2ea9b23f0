package dev.meridian.agent.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The HMAC secret of a region's webhook: the text of the given file (trimmed), or else of {@value #FILE} in the data
 * directory, created with 32 random bytes as 64 hex characters (mode 0600) when missing, so every webhook is signed
 * and the receiver is configured by copying that line. At least 16 bytes.
 */
public final class WebhookSecret {
  public static final String FILE = "webhook-secret";
  private static final int MIN_BYTES = 16;

  private WebhookSecret() {}

  public static byte[] load(Optional<Path> file, Path dataDir) {
    Path path = file.orElse(dataDir.resolve(FILE));
    try {
      if (file.isEmpty() && !Files.exists(path)) create(path);
      byte[] secret = Files.readString(path, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
      if (secret.length < MIN_BYTES) {
        throw new IllegalArgumentException("webhook secret in " + path + " too short: " + secret.length + " bytes, at least " + MIN_BYTES);
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the webhook secret " + path, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return;
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n", StandardOpenOption.WRITE, StandardOpenOption.SYNC);
  }
}
