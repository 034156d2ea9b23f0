package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transfer worker's bulkhead of blob copies: at most {@code size} copies run at once, whichever jobs asked for
 * them, and a digest is copied by one of them at a time. A job lists every blob its manifest lacks here at once and
 * waits for them; a blob another job's copy is bringing in already is waited for, not copied again, so the pool's
 * threads copy distinct blobs side by side while jobs sharing a base layer only wait.
 *
 * <p>Jobs thus hold no socket or buffer of their own: a job's thread is a waiter, and the pool bounds the peers'
 * connections and the memory of copies. A copy that fails is reported to the job that asked for it; a job that had
 * joined another job's copy finds the blob still missing at its next round and asks for its own.
 *
 * <p>Copies waiting for a thread start in a {@link FairCopyQueue} order, not first come first served: round-robin
 * between the jobs that asked, smallest first within a job's request. A job that queued ten large layers thus takes
 * one free thread in turn with every other job waiting, and a small image's config and layers start as soon as a
 * thread frees, not after all the large layers queued before them. Copies already running are not preempted.
 */
final class CopyPool implements AutoCloseable {
  private final ExecutorService threads;
  private final ConcurrentHashMap<Digest, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  /** Copies not started yet; each has one token on {@link #threads}, which starts whichever copy is due. */
  private final FairCopyQueue<Object, Queued> queue = new FairCopyQueue<>(Queued::size); // guarded by itself

  CopyPool(int size) {
    if (size < 1) throw new IllegalArgumentException("size < 1");
    this.threads = Executors.newFixedThreadPool(size, named("meridian-transfer-copy"));
  }

  /** A copy asked for: its future, and whether this caller started it (else it joined one in flight). */
  record Ticket(CompletableFuture<Void> done, boolean mine) {
    Ticket {
      requireNonNull(done, "done");
    }
  }

  /** A copy a job asks for: {@code size} is the blob's size as its descriptor states it (it orders the queue). */
  record Request(Digest digest, long size, Runnable copy) {
    Request {
      requireNonNull(digest, "digest");
      requireNonNull(copy, "copy");
      if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    }
  }

  private record Queued(long size, Runnable copy, CompletableFuture<Void> done) {}

  /** Asks for one copy for {@code owner}; see {@link #copyAll}. */
  Ticket copy(Object owner, Request request) {
    return copyAll(owner, List.of(request)).get(0);
  }

  /**
   * Queues a copy of each requested digest for {@code owner} (a job's run: its turn in the queue), unless a copy of
   * it is in flight (queued or running): then that one is joined. One ticket per request, in the same order.
   */
  List<Ticket> copyAll(Object owner, List<Request> requests) {
    requireNonNull(owner, "owner");
    List<Ticket> tickets = new ArrayList<>(requests.size());
    List<Queued> mine = new ArrayList<>();
    for (Request request : requests) {
      CompletableFuture<Void> started = new CompletableFuture<>();
      CompletableFuture<Void> existing = inFlight.putIfAbsent(request.digest(), started);
      if (existing != null) {
        tickets.add(new Ticket(existing, false));
        continue;
      }
      started.whenComplete((ok, failed) -> inFlight.remove(request.digest(), started));
      mine.add(new Queued(request.size(), request.copy(), started));
      tickets.add(new Ticket(started, true));
    }
    synchronized (queue) {
      queue.add(owner, mine);
    }
    try {
      for (int i = 0; i < mine.size(); i++) threads.execute(this::startNext);
    } catch (RejectedExecutionException e) {
      failQueued(); // stopping: no thread will take what is queued
    }
    return tickets;
  }

  /** A token's work on a pool thread: runs the copy whose turn it is (not necessarily the one queued with it). */
  private void startNext() {
    Optional<Queued> next;
    synchronized (queue) {
      next = queue.poll();
    }
    if (next.isEmpty()) return; // drained by a stop
    Queued copy = next.get();
    try {
      copy.copy().run();
      copy.done().complete(null);
    } catch (Throwable e) {
      copy.done().completeExceptionally(e);
    }
  }

  private void failQueued() {
    List<Queued> dropped;
    synchronized (queue) {
      dropped = queue.drain();
    }
    dropped.forEach(q -> q.done().completeExceptionally(new TransferFailedException("stopping")));
  }

  /** Copies queued and not started yet. */
  int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** Interrupts running copies (their sessions stay on disk to be resumed) and waits for them up to {@code timeout}. */
  boolean shutdownNow(long timeout, TimeUnit unit) throws InterruptedException {
    threads.shutdownNow();
    failQueued();
    return threads.awaitTermination(timeout, unit);
  }

  @Override
  public void close() {
    threads.shutdownNow();
    failQueued();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
