package dev.meridian.core.error;

/**
 * The error codes of the OCI distribution spec, with the HTTP status clients expect for each.
 *
 * <p>See <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">the
 * spec's error code table</a>. {@code TOOMANYREQUESTS} and {@code UNAUTHORIZED} come from the same table;
 * {@code RANGE_INVALID} is what clients of CNCF distribution see for an out-of-order chunk (416).
 */
public enum OciErrorCode {
  BLOB_UNKNOWN(404, "blob unknown to registry"),
  BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
  BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
  DIGEST_INVALID(400, "provided digest did not match uploaded content"),
  MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
  MANIFEST_INVALID(400, "manifest invalid"),
  MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
  NAME_INVALID(400, "invalid repository name"),
  NAME_UNKNOWN(404, "repository name not known to registry"),
  SIZE_INVALID(400, "provided length did not match content length"),
  RANGE_INVALID(416, "requested range not satisfiable"),
  TAG_INVALID(400, "invalid tag"),
  PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
  UNAUTHORIZED(401, "authentication required"),
  DENIED(403, "requested access to the resource is denied"),
  UNSUPPORTED(405, "the operation is unsupported"),
  TOOMANYREQUESTS(429, "too many requests"),
  UNAVAILABLE(503, "service unavailable");

  private final int httpStatus;
  private final String defaultMessage;

  OciErrorCode(int httpStatus, String defaultMessage) {
    this.httpStatus = httpStatus;
    this.defaultMessage = defaultMessage;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String defaultMessage() {
    return defaultMessage;
  }
}
