package dev.meridian.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.state.StateFixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ContentGuardTest {
  private final ContentGuard guard = new ContentGuard();

  @Test
  void claimsMadeSinceTheSweepStartedAreSeenByTheReclaim() {
    guard.claiming(List.of(StateFixtures.digest(1)), () -> null);
    guard.startSweep();
    guard.claiming(List.of(StateFixtures.digest(2)), () -> null);
    java.util.Set<dev.meridian.core.digest.Digest> seen = guard.reclaiming(claims -> claims);
    assertThat(seen).containsExactly(StateFixtures.digest(2));
  }

  @Test
  void aReclaimWaitsForACommitInFlight() throws Exception {
    CountDownLatch inCommit = new CountDownLatch(1);
    CountDownLatch finishCommit = new CountDownLatch(1);
    AtomicBoolean committed = new AtomicBoolean();
    CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> guard.claiming(List.of(StateFixtures.digest(3)), () -> {
      inCommit.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> finishCommit.getCount() == 0);
      committed.set(true);
      return null;
    }));
    assertThat(inCommit.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> reclaim = CompletableFuture.supplyAsync(() -> guard.reclaiming(claims -> committed.get()));
    assertThat(reclaim).isNotDone();
    finishCommit.countDown();
    assertThat(reclaim.get(10, TimeUnit.SECONDS)).isTrue(); // it ran only after the commit finished
    commit.get(10, TimeUnit.SECONDS);
  }
}
