package dev.meridian.agent.transfer;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import java.time.Duration;

/**
 * Told what transfers did: the hook metrics hang on. Called on transfer threads: implementations must be
 * quick, thread-safe, and must not throw.
 */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  /** How one fetch of one blob or manifest from one source ended. */
  enum Outcome {
    SUCCESS,
    /** The source was unreachable, answered 5xx/429, or timed out (after retries). */
    UNAVAILABLE,
    /** The source answered: not found, or content that failed verification. */
    REJECTED
  }

  /** One blob or manifest was asked of {@code source}; {@code bytes} arrived on success. */
  default void fetched(RegionId source, Outcome outcome, long bytes, Duration took) {}

  /** A MANIFEST job completed: the manifest written with {@code written} is now servable here. */
  default void manifestCompleted(Stamp written) {}
}
