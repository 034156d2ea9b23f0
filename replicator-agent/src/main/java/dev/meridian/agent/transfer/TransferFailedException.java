package dev.meridian.agent.transfer;

/** A job could not finish now: no source served what it lacks. It stays durable and is tried again later. */
public class TransferFailedException extends RuntimeException {
  private final boolean noPeerAsked;

  public TransferFailedException(String message) {
    this(message, false);
  }

  /** @param noPeerAsked true when every peer's circuit breaker was open, so no peer was even asked */
  public TransferFailedException(String message, boolean noPeerAsked) {
    super(message);
    this.noPeerAsked = noPeerAsked;
  }

  /** The failure says nothing about the peers' health now, only that their breakers are open. */
  public boolean noPeerAsked() {
    return noPeerAsked;
  }
}
