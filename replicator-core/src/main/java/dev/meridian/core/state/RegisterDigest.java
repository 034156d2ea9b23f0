package dev.meridian.core.state;

import dev.meridian.core.clock.Stamp;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A short summary of a repository's registers that two regions compare instead of the registers: equal
 * registers give equal digests, and any difference in a register (a missing one, another value or stamp)
 * gives another digest, up to SHA-256 collisions.
 *
 * <p>Each register is hashed on its own (SHA-256 of a canonical line: kind, key, value, stamp) and the hashes
 * are added modulo 2^256. Addition is commutative, so the digest does not depend on the order registers are
 * read in, and it could be kept up to date incrementally (subtract a register's old hash, add its new one).
 *
 * <p>What is hashed is what the merge decides on. A tag: its digest or tombstone. A blob link: linked or not. A
 * lock: both flags.
 * A manifest: present or deleted, not its metadata: a present manifest's metadata follows from its digest,
 * and a deleted one's may legitimately differ between regions (a delete replayed before its put keeps a
 * placeholder), which the merge never reconciles, since equal stamps do not replace each other.
 */
public final class RegisterDigest {
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  private BigInteger sum = BigInteger.ZERO;
  private int count;

  /** The digest of every register of {@code registers}, as 64 hex characters. */
  public static String of(RepositoryRegisters registers) {
    RegisterDigest digest = new RegisterDigest();
    registers.tags().forEach(digest::add);
    registers.manifests().forEach(digest::add);
    registers.blobLinks().forEach(digest::add);
    registers.locks().forEach(digest::add);
    return digest.hex();
  }

  public RegisterDigest add(TagRecord tag) {
    return add(line("tag", tag.repository().value(), tag.tag().value(), tag.digest().map(Object::toString).orElse("-"), tag.stamp()));
  }

  public RegisterDigest add(ManifestRecord manifest) {
    return add(line("manifest", manifest.repository().value(), manifest.digest().toString(),
        manifest.present() ? "present" : "deleted", manifest.stamp()));
  }

  public RegisterDigest add(BlobLinkRecord link) {
    return add(line("blob_link", link.repository().value(), link.digest().toString(),
        link.linked() ? "linked" : "unlinked", link.stamp()));
  }

  public RegisterDigest add(LockRecord lock) {
    return add(line("lock", lock.repository().value(), lock.scope(),
        "write=" + lock.writeEnabled() + ",delete=" + lock.deleteEnabled(), lock.stamp()));
  }

  /** How many registers were added. */
  public int count() {
    return count;
  }

  /** The sum so far, as 64 lower-case hex characters. */
  public String hex() {
    String hex = sum.toString(16);
    return "0".repeat(64 - hex.length()) + hex;
  }

  private static String line(String kind, String repository, String key, String value, Stamp stamp) {
    // Names, tags, digests and region ids never contain a newline, so the parts cannot run into each other.
    return kind + "\n" + repository + "\n" + key + "\n" + value + "\n" + stamp.hlc() + "\n" + stamp.origin().value();
  }

  private RegisterDigest add(String line) {
    sum = sum.add(new BigInteger(1, sha256(line.getBytes(StandardCharsets.UTF_8)))).mod(MODULUS);
    count++;
    return this;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
