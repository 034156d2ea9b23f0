package dev.meridian.core.oci;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.text.AsciiGrammar;

/**
 * An RFC 6838 media type such as {@code application/vnd.oci.image.manifest.v1+json}; parameters are not
 * part of the value (they are stripped by {@link #parse}).
 */
public record MediaType(String value) {
  private static final AsciiGrammar.CharClass NAME_REST = AsciiGrammar.alnumAnd("!#$&^_.+-");

  public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
  public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
  public static final MediaType OCI_CONFIG = new MediaType("application/vnd.oci.image.config.v1+json");
  public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
  public static final MediaType DOCKER_MANIFEST =
      new MediaType("application/vnd.docker.distribution.manifest.v2+json");
  public static final MediaType DOCKER_MANIFEST_LIST =
      new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
  public static final MediaType DOCKER_CONFIG = new MediaType("application/vnd.docker.container.image.v1+json");
  public static final MediaType OCTET_STREAM = new MediaType("application/octet-stream");
  public static final MediaType JSON = new MediaType("application/json");

  public MediaType {
    if (!isValid(value)) {
      throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "invalid media type: " + value);
    }
  }

  /**
   * RFC 6838's {@code type "/" subtype}, each {@code [A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}}: every replayed manifest
   * carries at least two.
   */
  static boolean isValid(String value) {
    if (value == null) return false;
    int slash = value.indexOf('/');
    return slash > 0 && AsciiGrammar.matches(value, 0, slash, AsciiGrammar.ALNUM, NAME_REST, 0, 126)
        && slash + 1 < value.length()
        && AsciiGrammar.matches(value, slash + 1, value.length(), AsciiGrammar.ALNUM, NAME_REST, 0, 126);
  }

  /** Parses a header or field value, dropping parameters ({@code ; charset=utf-8}) and surrounding space. */
  public static MediaType parse(String text) {
    if (text == null) throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "missing media type");
    int semicolon = text.indexOf(';');
    return new MediaType((semicolon >= 0 ? text.substring(0, semicolon) : text).trim());
  }

  /** True for the four manifest types a registry stores as manifests rather than blobs. */
  public boolean isManifest() {
    return equals(OCI_MANIFEST) || equals(OCI_INDEX) || equals(DOCKER_MANIFEST) || equals(DOCKER_MANIFEST_LIST);
  }

  /** True for the two index types, whose references are child manifests. */
  public boolean isIndex() {
    return equals(OCI_INDEX) || equals(DOCKER_MANIFEST_LIST);
  }

  @Override
  public String toString() {
    return value;
  }
}
