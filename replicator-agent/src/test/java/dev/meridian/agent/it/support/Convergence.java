package dev.meridian.agent.it.support;

import java.time.Duration;
import java.util.List;
import org.awaitility.core.ThrowingRunnable;

/** Waiting for a fleet to converge: an assertion retried until it holds, in one region or in each. */
public final class Convergence {
  private final Duration limit;

  public Convergence(Duration limit) {
    this.limit = limit;
  }

  /** Retries {@code assertion} every 200 ms until it holds, failing with its last error after the limit. */
  public void await(ThrowingRunnable assertion) {
    org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
  }

  /** Like {@link #await}, for an assertion that must hold in every one of {@code regions} at once. */
  public void awaitEvery(List<RegionClient> regions, RegionAssertion assertion) {
    await(() -> {
      for (RegionClient region : regions) assertion.check(region);
    });
  }

  /** An assertion about one region. */
  @FunctionalInterface
  public interface RegionAssertion {
    void check(RegionClient region) throws Exception;
  }
}
