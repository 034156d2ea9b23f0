package dev.meridian.agent.registry;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;

/**
 * A chunk that does not start where the upload stands (416). It carries the upload's status so that the
 * answer can tell the client, with a {@code Range} header, which bytes the registry holds.
 */
public final class UploadRangeException extends RegistryException {
  private final transient UploadStatus status;

  public UploadRangeException(UploadStatus status, String message) {
    super(OciErrorCode.RANGE_INVALID, message, "upload holds " + status.offset() + " bytes", 416);
    this.status = status;
  }

  public UploadStatus status() {
    return status;
  }
}
