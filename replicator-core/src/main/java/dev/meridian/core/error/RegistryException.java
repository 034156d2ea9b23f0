package dev.meridian.core.error;

import dev.meridian.core.digest.Digest;
import java.util.Objects;

/**
 * A definite answer to a client: an OCI error code, a message, an optional detail, and the HTTP status
 * it travels with. Never retried: {@code BLOB_UNKNOWN} is an answer, not an outage.
 */
public class RegistryException extends RuntimeException {
  private final OciErrorCode code;
  private final int httpStatus;
  private final transient Object detail;

  public RegistryException(OciErrorCode code, String message) {
    this(code, message, null, code.httpStatus());
  }

  public RegistryException(OciErrorCode code, String message, Object detail, int httpStatus) {
    super(message == null ? code.defaultMessage() : message);
    this.code = Objects.requireNonNull(code, "code");
    this.detail = detail;
    this.httpStatus = httpStatus;
  }

  public OciErrorCode code() {
    return code;
  }

  /** The HTTP status; usually the code's own, sometimes more specific (413 for an oversized manifest). */
  public int httpStatus() {
    return httpStatus;
  }

  /** A JSON-serialisable detail (a string or a map), or null. */
  public Object detail() {
    return detail;
  }

  public static RegistryException blobUnknown(Digest digest) {
    return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob unknown: " + digest, digest.toString(), 404);
  }

  public static RegistryException manifestUnknown(String reference) {
    return new RegistryException(OciErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + reference, reference, 404);
  }

  public static RegistryException nameUnknown(String name) {
    return new RegistryException(OciErrorCode.NAME_UNKNOWN, "repository name not known to registry: " + name, name, 404);
  }

  public static RegistryException digestInvalid(String message) {
    return new RegistryException(OciErrorCode.DIGEST_INVALID, message);
  }

  public static RegistryException manifestInvalid(String message) {
    return new RegistryException(OciErrorCode.MANIFEST_INVALID, message);
  }

  public static RegistryException uploadUnknown(String uploadId) {
    return new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload unknown: " + uploadId, uploadId, 404);
  }
}
