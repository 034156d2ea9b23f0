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
import java.util.concurrent.TimeUnit;

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
 * thread frees, not after all the large layers queued before them. Copies already running are not preempted, so
 * with two threads or more one of them is kept for copies of at most {@link #SMALL_COPY_BYTES} (configs, manifests,
 * small layers): large copies take the others, and a small image's copies start at once even while every other
 * thread holds a large layer. A large copy still always starts eventually: the other threads take large ones in the
 * queue's fair order, and the small copies that pass it never move it back in that order.
 */
final class CopyPool implements AutoCloseable {
  /** Copies up to this size may use the thread large copies leave free. */
  static final long SMALL_COPY_BYTES = 16L * 1024 * 1024;

  private final int size;
  private final ExecutorService threads;
  private final ConcurrentHashMap<Digest, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  /** Copies not started yet, in the order they are due; the monitor also guards the counts below. */
  private final FairCopyQueue<Object, Queued> queue = new FairCopyQueue<>(Queued::size);
  private int running; // guarded by queue
  private int runningLarge; // guarded by queue
  private boolean stopped; // guarded by queue

  CopyPool(int size) {
    this(size, Executors.newFixedThreadPool(size, TransferWorker.threads("meridian-transfer-copy")));
  }

  /** With {@code threads} running the copies (tests hold them back to stop the pool with copies not started). */
  CopyPool(int size, ExecutorService threads) {
    if (size < 1) throw new IllegalArgumentException("size < 1");
    this.size = size;
    this.threads = requireNonNull(threads, "threads");
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

  private record Queued(long size, Runnable copy, CompletableFuture<Void> done) {
    boolean large() {
      return size > SMALL_COPY_BYTES;
    }
  }

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
    boolean refused;
    synchronized (queue) {
      refused = stopped;
      if (!refused) queue.add(owner, mine);
    }
    if (refused) mine.forEach(q -> q.done().completeExceptionally(new TransferFailedException("stopping")));
    else dispatch();
    return tickets;
  }

  /**
   * Starts queued copies while threads are free, in the queue's order; the last free thread only takes a small copy
   * while the others all hold large ones.
   */
  private void dispatch() {
    List<Queued> starting = new ArrayList<>();
    synchronized (queue) {
      while (!stopped && running < size) {
        boolean lastForSmall = size > 1 && runningLarge >= size - 1;
        Optional<Queued> next = queue.poll(lastForSmall ? SMALL_COPY_BYTES : Long.MAX_VALUE);
        if (next.isEmpty()) break;
        running++;
        if (next.get().large()) runningLarge++;
        starting.add(next.get());
      }
    }
    for (Queued copy : starting) {
      try {
        threads.execute(new Start(copy));
      } catch (RejectedExecutionException e) {
        finished(copy);
        copy.done().completeExceptionally(new TransferFailedException("stopping"));
      }
    }
  }

  /** A copy handed to a thread; one still waiting for it when the pool stops is failed, not forgotten. */
  private final class Start implements Runnable {
    private final Queued copy;

    Start(Queued copy) {
      this.copy = copy;
    }

    @Override
    public void run() {
      CopyPool.this.run(copy);
    }
  }

  private void failUnstarted(List<Runnable> unstarted) {
    for (Runnable task : unstarted) {
      if (task instanceof Start start) {
        finished(start.copy);
        start.copy.done().completeExceptionally(new TransferFailedException("stopping"));
      }
    }
  }

  private void run(Queued copy) {
    Throwable failure = null;
    try {
      copy.copy().run();
    } catch (Throwable e) {
      failure = e;
    }
    finished(copy); // before the job hears of it: its next round may queue more, and finds this thread free
    if (failure == null) copy.done().complete(null); else copy.done().completeExceptionally(failure);
    dispatch();
  }

  private void finished(Queued copy) {
    synchronized (queue) {
      running--;
      if (copy.large()) runningLarge--;
    }
  }

  private void failQueued() {
    List<Queued> dropped;
    synchronized (queue) {
      stopped = true;
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

  /** Copies running. */
  int running() {
    synchronized (queue) {
      return running;
    }
  }

  /** Interrupts running copies (their sessions stay on disk to be resumed) and waits for them up to {@code timeout}. */
  boolean shutdownNow(long timeout, TimeUnit unit) throws InterruptedException {
    failQueued();
    failUnstarted(threads.shutdownNow());
    return threads.awaitTermination(timeout, unit);
  }

  @Override
  public void close() {
    failQueued();
    failUnstarted(threads.shutdownNow());
  }

}
