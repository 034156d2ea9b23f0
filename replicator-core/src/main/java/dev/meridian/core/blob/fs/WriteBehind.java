package dev.meridian.core.blob.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
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
 * <p>At most one background sync per file is in flight; a kick while one runs is skipped. A failed background sync is
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
  private long sinceKick;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
  private volatile IOException failure;

  WriteBehind(FileChannel channel) {
    this.channel = channel;
  }

  /** Counts bytes just written, and starts a background sync when enough accumulated and none is running. */
  void written(long bytes) {
    sinceKick += bytes;
    if (sinceKick < KICK_BYTES || !inFlight.isDone()) return;
    sinceKick = 0;
    inFlight = CompletableFuture.runAsync(this::syncQuietly, SYNCS);
  }

  /** Waits for the background sync in flight; throws the failure of any background sync so far. */
  void settle() throws IOException {
    inFlight.join();
    IOException failed = failure;
    if (failed != null) throw new IOException("an earlier background sync failed: " + failed.getMessage(), failed);
  }

  /** Waits for the background sync in flight, ignoring its outcome: before the file is closed or removed. */
  void quiesce() {
    inFlight.join();
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
