package dev.meridian.core.digest;

import static java.util.Objects.requireNonNull;

/**
 * A content address, {@code algorithm:hex}. Equal digests mean equal bytes.
 *
 * <p>Only sha256 and sha512 with lower-case hex are accepted, so a digest's text is always safe to use
 * as a file name component: path traversal through a digest is impossible by construction.
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {
  public Digest {
    requireNonNull(algorithm, "algorithm");
    if (!algorithm.isValidHex(hex)) throw new InvalidDigestException(algorithm.id() + ":" + hex);
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; anything else is refused. */
  public static Digest parse(String text) {
    if (text == null) throw new InvalidDigestException(null);
    int colon = text.indexOf(':');
    if (colon <= 0) throw new InvalidDigestException(text);
    DigestAlgorithm algorithm =
        DigestAlgorithm.byId(text.substring(0, colon)).orElseThrow(() -> new InvalidDigestException(text));
    // The constructor checks the hex, and its refusal names the same text (the algorithm's id is the text's prefix).
    return new Digest(algorithm, text.substring(colon + 1));
  }

  /** The sha256 digest of these bytes. */
  public static Digest sha256Of(byte[] bytes) {
    return of(DigestAlgorithm.SHA256, bytes);
  }

  public static Digest of(DigestAlgorithm algorithm, byte[] bytes) {
    Digester digester = new Digester(algorithm);
    digester.update(bytes, 0, bytes.length);
    return digester.digest();
  }

  /**
   * Written out, not the record's generated one, which goes through method handles that are slow until C2 compiles
   * them: it showed in a restarted region's replay profile, which compares and hashes digests for every event.
   */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof Digest o && algorithm == o.algorithm && hex.equals(o.hex);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return algorithm.id() + ":" + hex;
  }
}
