package dev.meridian.agent.replication;

import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventDecodeException;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the outbox to the log (DESIGN.md §5), off the request path, on its own thread: reads the oldest
 * entries, publishes them in order, and deletes each entry only after the log acknowledged it. While the
 * log is down entries stay in the outbox, pushes keep succeeding, and the relay retries with backoff; a
 * crash between publish and delete ships an entry twice, which replay tolerates.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 512;
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
  /** Held by the loop while it ships a batch, so {@link #hold} can wait for the batch in flight. */
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

  /** New entries were committed: ship them now rather than at the next idle poll. */
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
   * Stops shipping (a drill cutting the region off) or starts again. Holding returns once a batch in flight, if
   * any, is acknowledged or failed: from then on the outbox holds exactly what has not reached the log.
   */
  public void hold(boolean hold) {
    held = hold;
    shipping.lock();
    shipping.unlock();
    if (!hold) wake();
  }

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
        Duration pause;
        shipping.lock();
        try {
          List<OutboxEntry> entries = held ? List.of() : state.readOutbox(BATCH);
          if (entries.isEmpty()) {
            pause = IDLE_POLL;
          } else {
            ship(entries);
            failing = null;
            backoff = Duration.ofMillis(100);
            pause = Duration.ZERO;
          }
        } catch (RuntimeException e) {
          if (!running) return;
          failing = e.getMessage() == null ? e.toString() : e.getMessage();
          log.warn("outbox.relay.failed backlog={} retry_in_ms={} reason={}", state.outboxSize(), backoff.toMillis(), e.toString());
          pause = backoff;
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        } finally {
          shipping.unlock(); // never wait with it held: a hold would wait for the pause too
        }
        if (!pause.isZero()) awaitWake(pause);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Publishes every entry before waiting for any (the producer batches them), then deletes the entries the log
   * acknowledged, in order, stopping at the first failure so nothing is skipped.
   */
  private void ship(List<OutboxEntry> entries) throws InterruptedException {
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
      sent.add(sink.publish(key, payload, event));
    }
    List<Long> acknowledged = new ArrayList<>(entries.size());
    try {
      for (int i = 0; i < entries.size(); i++) {
        try {
          sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new IllegalStateException("log did not acknowledge outbox entry " + entries.get(i).sequence()
              + ": " + (e.getCause() == null ? e : e.getCause()).toString(), e);
        }
        acknowledged.add(entries.get(i).sequence());
      }
    } finally {
      // The acknowledged prefix goes in one write, also when a later entry failed: it is in the log.
      state.deleteOutbox(acknowledged);
      shipped += acknowledged.size();
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
