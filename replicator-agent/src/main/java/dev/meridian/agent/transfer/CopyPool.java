package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
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
 */
final class CopyPool implements AutoCloseable {
  private final ExecutorService threads;
  private final ConcurrentHashMap<Digest, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

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

  /** Starts {@code copy} of {@code digest} on the pool, unless a copy of it is in flight: then that one is joined. */
  Ticket copy(Digest digest, Runnable copy) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    CompletableFuture<Void> existing = inFlight.putIfAbsent(digest, started);
    if (existing != null) return new Ticket(existing, false);
    started.whenComplete((ok, failed) -> inFlight.remove(digest, started));
    try {
      threads.execute(() -> {
        try {
          copy.run();
          started.complete(null);
        } catch (Throwable e) {
          started.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      started.completeExceptionally(new TransferFailedException("stopping"));
    }
    return new Ticket(started, true);
  }

  /** Interrupts running copies (their sessions stay on disk to be resumed) and waits for them up to {@code timeout}. */
  boolean shutdownNow(long timeout, TimeUnit unit) throws InterruptedException {
    threads.shutdownNow();
    return threads.awaitTermination(timeout, unit);
  }

  @Override
  public void close() {
    threads.shutdownNow();
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
