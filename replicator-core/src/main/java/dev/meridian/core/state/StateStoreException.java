package dev.meridian.core.state;

/**
 * The state store failed (an I/O error, a corrupt database, a lock held by another process). Not an
 * answer to a client: the request that met it fails with a server error, and the store may need an
 * operator.
 */
public class StateStoreException extends RuntimeException {
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StateStoreException(String message) {
    super(message);
  }
}
