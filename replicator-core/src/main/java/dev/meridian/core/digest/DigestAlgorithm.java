package dev.meridian.core.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The digest algorithms a registry must accept (image-spec "Registered algorithms"): sha256 and sha512,
 * each with lower-case hex of a fixed length. Any other algorithm is refused.
 */
public enum DigestAlgorithm {
  SHA256("sha256", "SHA-256", 64),
  SHA512("sha512", "SHA-512", 128);

  private final String id;
  private final String jcaName;
  private final int hexLength;

  DigestAlgorithm(String id, String jcaName, int hexLength) {
    this.id = id;
    this.jcaName = jcaName;
    this.hexLength = hexLength;
  }

  /** The name used in digest strings, e.g. {@code sha256}. */
  public String id() {
    return id;
  }

  /**
   * Lower-case hex of this algorithm's length. A loop, not a regular expression: every digest read from the state
   * store is checked, and a scan of a million manifest registers spent most of its time in the regex.
   */
  public boolean isValidHex(String hex) {
    if (hex == null || hex.length() != hexLength) return false;
    for (int i = 0; i < hexLength; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  public MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships " + jcaName, e);
    }
  }

  public static Optional<DigestAlgorithm> byId(String id) {
    for (DigestAlgorithm a : values()) {
      if (a.id.equals(id)) return Optional.of(a);
    }
    return Optional.empty();
  }
}
