package dev.meridian.agent.notify;

import dev.meridian.core.state.NotificationQueues;
import dev.meridian.core.state.QueuedNotification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one delivery queue on its own thread: hands the oldest entries to the {@link NotificationSink}, deletes
 * each only once delivered, and after a failure waits the {@link RetryBackoff} before trying the same entry again,
 * forever (an entry is never dropped). So delivery is at least once and in order; a receiver that is down for a
 * while gets everything, oldest first, once it is back. A crash between delivery and delete delivers an entry
 * again, under the same notification id.
 */
public final class NotificationDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);

  private final NotificationQueues queues;
  private final String queue;
  private final String target;
  private final NotificationSink sink;
  private final RetryBackoff backoff;
  private final NotificationListener listener;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private final Thread thread;
  private boolean woken; // guarded by lock
  private volatile boolean running = true;
  private volatile long delivered;
  private volatile long failedAttempts;
  private volatile String lastError;
  private volatile Instant lastDelivery;
  private volatile Instant nextAttempt;
  /**
   * Sequence of the last entry delivered and deleted; reads start after it (0: from the oldest). Entries are
   * numbered as their batches commit, under the store's write lock, so none can appear below it later; after a
   * restart the first read starts from the oldest again. Only the loop's thread touches it.
   */
  private long deliveredUpTo;

  /** @param target what the status names as the destination (the URL, the topic) */
  public NotificationDispatcher(NotificationQueues queues, String queue, String target, NotificationSink sink,
      RetryBackoff backoff, NotificationListener listener, Clock clock) {
    this.queues = queues;
    this.queue = QueuedNotification.requireQueueName(queue);
    this.target = target;
    this.sink = sink;
    this.backoff = backoff;
    this.listener = listener;
    this.clock = clock;
    this.thread = new Thread(this::loop, "meridian-notify-" + queue);
    this.thread.setDaemon(true);
  }

  public NotificationDispatcher start() {
    thread.start();
    return this;
  }

  /** Entries were queued: deliver them now rather than at the next idle poll (a backoff in progress is kept). */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public String queue() {
    return queue;
  }

  public NotificationStatus status() {
    return new NotificationStatus(queue, target, queues.notificationCount(queue), delivered, failedAttempts,
        Optional.ofNullable(lastError), Optional.ofNullable(lastDelivery), Optional.ofNullable(nextAttempt));
  }

  private void loop() {
    int failures = 0;
    try {
      while (running) {
        try {
          List<QueuedNotification> head = queues.readNotificationsAfter(queue, deliveredUpTo, sink.batchSize());
          if (head.isEmpty()) {
            awaitWake(IDLE_POLL);
            continue;
          }
          int count = sink.deliver(head);
          if (count > 0) {
            queues.deleteNotifications(queue, head.subList(0, count).stream().map(QueuedNotification::sequence).toList());
            deliveredUpTo = head.get(count - 1).sequence();
          }
          delivered += count;
          lastDelivery = clock.instant();
          listener.delivered(queue, count);
          if (failures > 0) log.info("notify.recovered destination={} target={} after_failures={}", queue, target, failures);
          failures = 0;
          lastError = null;
          nextAttempt = null;
        } catch (RuntimeException e) { // NotificationDeliveryException, or the store or a sink failing: retried the same way
          if (!running) return; // closing: what is queued stays for the next start
          failures++;
          failedAttempts++;
          listener.failed(queue);
          lastError = e.getMessage() == null ? e.toString() : e.getMessage();
          Duration wait = backoff.delay(failures, () -> ThreadLocalRandom.current().nextDouble());
          nextAttempt = clock.instant().plus(wait);
          log.warn("notify.failed destination={} target={} queued={} attempt={} retry_in_ms={} reason={}",
              queue, target, queues.notificationCount(queue), failures, wait.toMillis(), lastError);
          sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    }
  }

  /** A backoff is not cut short by new entries: only closing ends it. */
  private void sleep(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      long left;
      while (running && (left = deadline - System.nanoTime()) > 0) signal.awaitNanos(left);
      woken = false;
    } finally {
      lock.unlock();
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

  /** Stops now; what is queued stays for the next start. */
  @Override
  public void close() {
    running = false;
    wake();
    // Cuts short a POST, a wait for the log's acknowledgement or a backoff: an entry whose delivery was cut off stays
    // queued and is delivered again (same id) after the next start.
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sink.close();
  }
}
