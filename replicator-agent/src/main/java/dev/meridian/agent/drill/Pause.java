package dev.meridian.agent.drill;

import java.time.Duration;

/** Waiting between the drill's steps; tests pass one that moves a fake clock instead. */
@FunctionalInterface
public interface Pause {
  void sleep(Duration duration) throws InterruptedException;

  Pause REAL = duration -> Thread.sleep(duration.toMillis());
}
