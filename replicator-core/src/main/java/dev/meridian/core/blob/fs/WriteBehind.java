package dev.meridian.core.blob.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write-behind for one upload file: once {@link #KICK_BYTES} more bytes were written, an {@code fdatasync} of the file
 * starts on a background thread while the writer goes on appending, so the sync that must finish before a chunk is
 * acknowledged finds only the last few megabytes still dirty. It never replaces that sync: it only gets the disk
 * going earlier (without it the whole chunk is flushed after its last byte, tens of milliseconds per 100 MiB).
 *
 * <p>At most one background sync per file is in flight; a kick while one runs or waits for a thread is skipped. The
 * pool is shared by every upload, so a sync may wait behind other files' syncs: the writer never waits for one that
 * has not started (it syncs the file itself next anyway). A failed background sync is
 * kept and reported by every later {@link #settle}: after a failed {@code fsync}, Linux may report the next one clean
 * although the bytes were lost, so the upload must not be acknowledged on the strength of a later success.
 *
 * <p>Single-writer like its upload: {@link #written} and {@link #settle} are called by one thread at a time.
 */
final class WriteBehind {
  /** Bytes written since the last kick at which the next background sync starts. */
  static final long KICK_BYTES = 8L * 1024 * 1024;

  private static final AtomicInteger THREADS = new AtomicInteger();
  /** Shared by every upload of the process; a few threads are plenty since each sync is mostly waiting on the disk. */
  private static final ExecutorService SYNCS = pool();

  private final FileChannel channel;
  private final Executor syncs;
  private long sinceKick;
  private Sync inFlight; // the last background sync started, or null
  private volatile IOException failure;

  WriteBehind(FileChannel channel) {
    this(channel, SYNCS);
  }

  /** With the syncs run by {@code syncs} (tests hold them back to see what waits on what). */
  WriteBehind(FileChannel channel, Executor syncs) {
    this.channel = channel;
    this.syncs = syncs;
  }

  /** Counts bytes just written, and starts a background sync when enough accumulated and none is pending. */
  void written(long bytes) {
    sinceKick += bytes;
    if (sinceKick < KICK_BYTES || (inFlight != null && !inFlight.finished())) return;
    sinceKick = 0;
    inFlight = new Sync();
    syncs.execute(inFlight);
  }

  /**
   * Waits for a background sync that is running; one still queued (the pool busy with other uploads' syncs) is
   * dropped instead, since the caller syncs the file itself next. Throws the failure of any background sync so far.
   */
  void settle() throws IOException {
    if (inFlight != null) inFlight.awaitOrDrop();
    IOException failed = failure;
    if (failed != null) throw new IOException("an earlier background sync failed: " + failed.getMessage(), failed);
  }

  /** As {@link #settle}, ignoring outcomes: before the file is closed or removed, no sync may touch it any more. */
  void quiesce() {
    if (inFlight != null) inFlight.awaitOrDrop();
  }

  /** One background sync: queued, then running or dropped, then done. */
  private final class Sync implements Runnable {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void run() {
      if (!state.compareAndSet(QUEUED, RUNNING)) return; // dropped while it waited for a thread
      try {
        syncQuietly();
      } finally {
        state.set(FINISHED);
        done.complete(null);
      }
    }

    void awaitOrDrop() {
      if (state.compareAndSet(QUEUED, FINISHED)) done.complete(null);
      done.join();
    }

    boolean finished() {
      return state.get() == FINISHED;
    }
  }

  private void syncQuietly() {
    try {
      channel.force(false);
    } catch (IOException e) {
      failed(e);
    } catch (RuntimeException e) {
      failed(new IOException(e));
    }
  }

  /** Records a failed background sync (package-private so tests can stand in for a failing disk). */
  void failed(IOException e) {
    failure = e;
  }

  private static ExecutorService pool() {
    var executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
      Thread thread = new Thread(task, "meridian-write-behind-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
