package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CopyPoolTest {
  private static final long GIB = 1L << 30;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final CopyPool pool = new CopyPool(1);
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    pool.close();
  }

  @Test
  void aSmallImagesCopyStartsBeforeTheRestOfABigImageQueuedAheadOfIt() throws Exception {
    Object running = new Object();
    Object bigImage = new Object();
    Object smallImage = new Object();
    CompletableFuture<Void> blocker = pool.copy(running, blocked("running")).done();
    await().atMost(WAIT).until(() -> started.contains("running")); // the only thread is busy from here
    List<CopyPool.Request> layers = new ArrayList<>();
    for (int i = 0; i < 3; i++) layers.add(request("layer" + i, GIB));
    List<CopyPool.Ticket> big = pool.copyAll(bigImage, layers);
    CopyPool.Ticket config = pool.copy(smallImage, request("config", 1024));
    assertThat(pool.queued()).isEqualTo(4);

    release.countDown();
    blocker.get(30, TimeUnit.SECONDS);
    config.done().get(30, TimeUnit.SECONDS);
    for (CopyPool.Ticket t : big) t.done().get(30, TimeUnit.SECONDS);

    // One turn of the big image (it asked first), then the small one: not after all three layers.
    assertThat(started).containsExactly("running", "layer0", "config", "layer1", "layer2");
  }

  @Test
  void aSmallImagesCopyStartsAtOnceWhileEveryOtherThreadHoldsALargeLayer() throws Exception {
    try (CopyPool two = new CopyPool(2)) {
      List<CopyPool.Request> layers = new ArrayList<>();
      for (int i = 0; i < 3; i++) layers.add(blocked("layer" + i, GIB));
      List<CopyPool.Ticket> big = two.copyAll(new Object(), layers);
      await().atMost(WAIT).until(() -> started.contains("layer0"));
      assertThat(two.running()).as("the last thread is kept for small copies").isEqualTo(1);

      CopyPool.Ticket config = two.copy(new Object(), request("config", 1024));

      assertThat(config.done()).succeedsWithin(WAIT); // while layer0 still holds the other thread
      assertThat(started).containsExactly("layer0", "config");
      release.countDown();
      for (CopyPool.Ticket t : big) assertThat(t.done()).succeedsWithin(WAIT); // and the large ones all start
    }
  }

  @Test
  void aDigestQueuedByOneJobIsJoinedByAnotherNotCopiedTwice() throws Exception {
    pool.copy(new Object(), blocked("running"));
    await().atMost(WAIT).until(() -> started.contains("running"));
    AtomicInteger copies = new AtomicInteger();
    CopyPool.Request shared = new CopyPool.Request(digest("base"), 10, copies::incrementAndGet);
    CopyPool.Ticket first = pool.copy(new Object(), shared);
    CopyPool.Ticket second = pool.copy(new Object(), shared);

    release.countDown();
    second.done().get(30, TimeUnit.SECONDS);

    assertThat(first.mine()).isTrue();
    assertThat(second.mine()).isFalse();
    assertThat(copies).hasValue(1);
  }

  @Test
  void stoppingFailsTheQueuedCopiesSoTheirJobsStopWaiting() throws Exception {
    pool.copy(new Object(), blocked("running"));
    await().atMost(WAIT).until(() -> started.contains("running"));
    CopyPool.Ticket queued = pool.copy(new Object(), request("layer", GIB));

    pool.shutdownNow(30, TimeUnit.SECONDS);

    assertThat(queued.done()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(TransferFailedException.class);
    assertThat(started).containsExactly("running");
    assertThat(pool.queued()).isZero();
  }

  @Test
  void stoppingFailsACopyHandedToAThreadThatHadNotStartedIt() throws Exception {
    var held = new java.util.ArrayList<Runnable>(); // threads all busy: what is handed over waits
    var threads = new java.util.concurrent.AbstractExecutorService() {
      private boolean shut;

      @Override
      public void execute(Runnable task) {
        held.add(task);
      }

      @Override
      public List<Runnable> shutdownNow() {
        shut = true;
        List<Runnable> unstarted = List.copyOf(held);
        held.clear();
        return unstarted;
      }

      @Override
      public void shutdown() {
        shut = true;
      }

      @Override
      public boolean isShutdown() {
        return shut;
      }

      @Override
      public boolean isTerminated() {
        return shut;
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
      }
    };
    try (CopyPool stalled = new CopyPool(1, threads)) {
      CopyPool.Ticket handedOver = stalled.copy(new Object(), request("layer", GIB));
      assertThat(held).hasSize(1);

      stalled.shutdownNow(1, TimeUnit.SECONDS);

      assertThat(handedOver.done()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(TransferFailedException.class);
      assertThat(stalled.running()).isZero();
      assertThat(started).isEmpty();
    }
  }

  /** A copy that records its start and then holds the pool's thread until {@link #release}. */
  private CopyPool.Request blocked(String name) {
    return blocked(name, 1);
  }

  private CopyPool.Request blocked(String name, long size) {
    return new CopyPool.Request(digest(name), size, () -> {
      started.add(name);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferFailedException("stopping");
      }
    });
  }

  private CopyPool.Request request(String name, long size) {
    return new CopyPool.Request(digest(name), size, () -> started.add(name));
  }

  private static Digest digest(String name) {
    return Digest.sha256Of(name.getBytes(StandardCharsets.UTF_8));
  }
}
