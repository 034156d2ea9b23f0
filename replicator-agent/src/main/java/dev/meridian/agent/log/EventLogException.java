package dev.meridian.agent.log;

/**
 * The event log could not do what was asked: the broker is unreachable, a topic is missing or not ready,
 * a send was not acknowledged. An outage, not an answer: the caller retries (the relay keeps the outbox
 * entry). Kafka's own exceptions are translated into this one inside this package.
 */
public class EventLogException extends RuntimeException {
  public EventLogException(String message) {
    super(message);
  }

  public EventLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
