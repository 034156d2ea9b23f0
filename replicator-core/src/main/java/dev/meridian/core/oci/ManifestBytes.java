package dev.meridian.core.oci;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.util.Arrays;

/**
 * A manifest exactly as received, with its media type. Its digest is over these bytes: a registry never
 * re-serialises a manifest, or the digest a client computed would no longer match.
 */
public final class ManifestBytes {
  /** Manifests larger than this are refused (413), as distribution does. */
  public static final int MAX_SIZE = 4 * 1024 * 1024;

  private final byte[] bytes;
  private final MediaType mediaType;
  private final Digest digest;

  public ManifestBytes(byte[] bytes, MediaType mediaType) {
    this.bytes = requireNonNull(bytes, "bytes").clone();
    this.mediaType = requireNonNull(mediaType, "mediaType");
    this.digest = Digest.sha256Of(this.bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  /** The sha256 digest of the bytes. */
  public Digest digest() {
    return digest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManifestBytes other && mediaType.equals(other.mediaType) && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "ManifestBytes[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
