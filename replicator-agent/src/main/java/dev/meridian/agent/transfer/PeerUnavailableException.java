package dev.meridian.agent.transfer;

/**
 * A peer region could not answer now: an I/O error, a timeout, a 5xx or a 429. Unlike a
 * {@link dev.meridian.core.error.RegistryException} (an answer, such as {@code BLOB_UNKNOWN}), this is an
 * outage, so the same request is worth retrying after a pause.
 */
public class PeerUnavailableException extends RuntimeException {
  public PeerUnavailableException(String message) {
    super(message);
  }

  public PeerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
