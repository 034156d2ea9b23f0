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

  /** Who waited on read-through: a pull of content not here yet, or a manifest PUT fetching its missing references. */
  enum ReadThroughCaller {
    PULL,
    PUT
  }

  /** How one wait on read-through ended. */
  enum ReadThroughOutcome {
    /** Everything asked for is here now. */
    SERVED,
    /** Something asked for is not: no peer had it, a fetch failed, or the region does not hold the repository. */
    ABSENT,
    /** The read-through timeout passed first (the fetches go on). */
    TIMED_OUT,
    /** Not tried: too many callers waiting, too many references, or a full fetch queue. */
    REFUSED
  }

  /** One caller's wait on read-through ended after {@code took}. */
  default void readThrough(ReadThroughCaller caller, ReadThroughOutcome outcome, Duration took) {}
}
