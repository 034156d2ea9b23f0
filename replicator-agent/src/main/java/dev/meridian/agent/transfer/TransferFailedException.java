package dev.meridian.agent.transfer;

/** A job could not finish now: no source served what it lacks. It stays durable and is tried again later. */
public class TransferFailedException extends RuntimeException {
  public TransferFailedException(String message) {
    super(message);
  }
}
