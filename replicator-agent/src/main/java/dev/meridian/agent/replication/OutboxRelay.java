package dev.meridian.agent.replication;

import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventDecodeException;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the outbox to the log (DESIGN.md §5), off the request path, on its own thread: reads the oldest
 * entries, publishes them in order, and deletes each entry only after the log acknowledged it. While the
 * log is down entries stay in the outbox, pushes keep succeeding, and the relay retries with backoff; a
 * crash between publish and delete ships an entry twice, which replay tolerates.
 *
 * <p>Batches are pipelined: the relay reads and publishes the next entries (by sequence, after the last one
 * it published) while earlier batches wait for the log's acknowledgement, up to {@link #MAX_IN_FLIGHT}
 * batches. One sender keeps the order of sends, so each partition still gets its events in outbox order.
 * Deletes follow acknowledgements in outbox order and stop at the first entry the log refused: after a
 * failure the relay waits for every batch in flight to settle, deletes the acknowledged prefix, and reads
 * the outbox again from its oldest entry, so nothing is skipped.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 512;
  /** Batches published and not yet acknowledged; bounds the producer's queue (10,000) with room to spare. */
  static final int MAX_IN_FLIGHT = 8;
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(90);

  private final RegistryState state;
  private final EventSink sink;
  private final EventCodec codec = new EventCodec();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private final Thread thread;
  private boolean woken; // guarded by lock
  private volatile boolean running = true;
  private volatile long shipped;
  private volatile String failing;
  private volatile boolean held;
  /** Batches published, oldest first; only the loop's thread touches it. */
  private final ArrayDeque<Shipment> inFlight = new ArrayDeque<>();
  /** Sequence of the last entry published; -1: read from the oldest entry. Only the loop's thread touches it. */
  private long publishedUpTo = -1;
  /** Held by the loop while batches are in flight, so {@link #hold} can wait for them to settle. */
  private final ReentrantLock shipping = new ReentrantLock();

  public OutboxRelay(RegistryState state, EventSink sink) {
    this.state = state;
    this.sink = sink;
    this.thread = new Thread(this::loop, "meridian-outbox-relay");
    this.thread.setDaemon(true);
  }

  public OutboxRelay start() {
    thread.start();
    return this;
  }

  /** New entries were committed (or a batch in flight settled): ship them now rather than at the next idle poll. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops shipping (a drill cutting the region off) or starts again. Holding returns once the batches in flight,
   * if any, are acknowledged or failed: from then on the outbox holds exactly what has not reached the log.
   */
  public void hold(boolean hold) {
    held = hold;
    if (hold) {
      wake(); // the loop must notice, settle what is in flight and let go of the shipping lock
      while (running && thread.isAlive() && !Thread.currentThread().equals(thread)) {
        shipping.lock();
        try {
          if (inFlightCount == 0) break;
        } finally {
          shipping.unlock();
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    } else {
      wake();
    }
  }

  /** Batches in flight as last seen by the loop (for {@link #hold}). */
  private volatile int inFlightCount;

  /** Whether shipping is held. */
  public boolean held() {
    return held;
  }

  /** Events acknowledged by the log since start. */
  public long shipped() {
    return shipped;
  }

  /** Why shipping fails now; empty once a batch was shipped again. */
  public java.util.Optional<String> failing() {
    return java.util.Optional.ofNullable(failing);
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(100);
    try {
      while (running) {
        Duration pause = IDLE_POLL;
        shipping.lock();
        try {
          boolean settled = settleAcknowledged();
          boolean published = false;
          if (held) {
            settled |= settleAll(); // a hold waits for what is in flight; nothing new is read
          } else if (inFlight.size() < MAX_IN_FLIGHT) {
            List<OutboxEntry> entries = state.readOutboxAfter(publishedUpTo, BATCH);
            if (!entries.isEmpty()) {
              inFlight.add(publish(entries));
              publishedUpTo = entries.get(entries.size() - 1).sequence();
              published = true;
            }
          }
          if (settled) {
            failing = null;
            backoff = Duration.ofMillis(100);
          }
          if (settled || published) {
            pause = Duration.ZERO;
          } else if (!inFlight.isEmpty()) {
            pause = SEND_TIMEOUT; // woken by the oldest batch's acknowledgement; its own timeout ends the wait
          }
        } catch (RuntimeException e) {
          if (!running) return;
          failing = e.getMessage() == null ? e.toString() : e.getMessage();
          log.warn("outbox.relay.failed backlog={} retry_in_ms={} reason={}", state.outboxSize(), backoff.toMillis(), e.toString());
          pause = backoff;
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        } finally {
          inFlightCount = inFlight.size();
          shipping.unlock(); // never wait with it held: a hold would wait for the pause too
        }
        if (!pause.isZero()) awaitWake(pause);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Publishes every entry before waiting for any (the producer batches them); wakes the loop once all settled. */
  private Shipment publish(List<OutboxEntry> entries) {
    List<CompletableFuture<?>> sent = new ArrayList<>(entries.size());
    for (OutboxEntry entry : entries) {
      byte[] payload = entry.payload();
      Optional<ReplicationEvent> event;
      try {
        event = Optional.of(codec.decode(payload));
      } catch (EventDecodeException e) {
        // Only this process writes the outbox; an entry it cannot read would block every later one.
        log.error("outbox.entry.unreadable sequence={} reason={}", entry.sequence(), e.getMessage());
        event = Optional.empty();
      }
      String key = event.map(ev -> ev.repository().value()).orElse("unreadable");
      CompletableFuture<?> send = sink.publish(key, payload, event);
      send.whenComplete((ok, error) -> {
        if (error != null) wake(); // a refusal is handled at once, not when the whole batch has answered
      });
      sent.add(send);
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> wake());
    return new Shipment(entries, sent, System.nanoTime());
  }

  /**
   * Deletes the batches at the head whose entries the log all acknowledged, oldest first; true if any. A batch
   * with a refused entry fails the shipping (see {@link #fail}); one that waited longer than the send timeout too.
   */
  private boolean settleAcknowledged() throws InterruptedException {
    boolean settled = false;
    while (!inFlight.isEmpty()) {
      Shipment head = inFlight.peek();
      // A refusal fails the batch at once, answered or not: the rest of it would only be shipped again anyway.
      if (head.refusedAny()) fail(head);
      if (!head.done()) {
        if (System.nanoTime() - head.publishedAt() > SEND_TIMEOUT.toNanos()) fail(head);
        return settled;
      }
      // Deleted before it leaves the queue: if the delete fails, the next round finds it at the head again.
      delete(head.entries().stream().map(OutboxEntry::sequence).toList());
      inFlight.poll();
      settled = true;
    }
    return settled;
  }

  /** Waits for every batch in flight, deleting what the log acknowledged; fails at the first refused entry. */
  private boolean settleAll() throws InterruptedException {
    boolean settled = false;
    while (!inFlight.isEmpty()) {
      Shipment head = inFlight.peek();
      var refused = new CompletableFuture<Void>(); // the first refusal ends the wait: the batch fails then anyway
      for (CompletableFuture<?> f : head.sent()) {
        f.whenComplete((ok, error) -> {
          if (error != null) refused.complete(null);
        });
      }
      try {
        CompletableFuture.anyOf(CompletableFuture.allOf(head.sent().toArray(CompletableFuture[]::new)), refused)
            .get(Math.max(0, SEND_TIMEOUT.toNanos() - (System.nanoTime() - head.publishedAt())), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        fail(head);
      }
      settled |= settleAcknowledged();
    }
    return settled;
  }

  /**
   * A batch was refused or timed out: deletes the acknowledged prefix of {@code head} (in the log already), forgets
   * everything in flight and throws, so the next attempt reads the outbox again from its oldest entry and nothing is
   * skipped. Later batches are not waited for: whatever they hold ships again either way (at least once), and the
   * producer keeps their sends ahead of the re-sent ones per partition. Waiting for them, with the log down and
   * thousands of sends queued, held the shipping lock (and so any hold) for far longer than the send timeout.
   */
  private void fail(Shipment head) throws InterruptedException {
    long deadline = head.publishedAt() + SEND_TIMEOUT.toNanos();
    List<Long> acknowledged = new ArrayList<>();
    String reason = null;
    for (int i = 0; i < head.sent().size() && reason == null; i++) {
      try {
        head.sent().get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        acknowledged.add(head.entries().get(i).sequence());
      } catch (ExecutionException | TimeoutException e) {
        reason = "log did not acknowledge outbox entry " + head.entries().get(i).sequence() + ": "
            + (e.getCause() == null ? e : e.getCause()).toString();
      }
    }
    inFlight.clear();
    publishedUpTo = -1;
    delete(acknowledged); // the acknowledged prefix goes in one write: it is in the log
    throw new IllegalStateException(reason == null ? "log did not acknowledge outbox entries in time" : reason);
  }

  private void delete(List<Long> sequences) {
    state.deleteOutbox(sequences);
    shipped += sequences.size();
  }

  /** One published batch: its entries, their sends in the same order, and when it was published. */
  private record Shipment(List<OutboxEntry> entries, List<CompletableFuture<?>> sent, long publishedAt) {
    boolean done() {
      for (CompletableFuture<?> f : sent) if (!f.isDone()) return false;
      return true;
    }

    boolean refusedAny() {
      for (CompletableFuture<?> f : sent) if (f.isCompletedExceptionally() || f.isCancelled()) return true;
      return false;
    }

  }

  private void awaitWake(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      if (!woken && running) signal.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
