package dev.meridian.agent.replication;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.EventType;

/**
 * Told what replay did, after each record's batch committed: the hook metrics hang on, so replay itself
 * knows no metrics library. Called on the replay thread: implementations must be quick and must not throw.
 */
public interface ReplayListener {
  ReplayListener NONE = new ReplayListener() {};

  /** An event of {@code type} from another region was applied (its writes merged). */
  default void applied(EventType type) {}

  /** A record that is no event this version understands went to the dead-letter topic. */
  default void deadLettered() {}

  /** A replicated manifest became servable here on arrival (its content was all here already). */
  default void manifestCompleted(Stamp written) {}
}
