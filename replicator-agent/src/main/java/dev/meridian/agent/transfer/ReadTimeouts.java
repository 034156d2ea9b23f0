package dev.meridian.agent.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Read timeouts for response bodies. The JDK's {@code HttpClient} times out waiting for response headers
 * only: a peer that stalls mid-body would block a transfer forever. A guarded stream is watched by one
 * timer thread, which closes it when a read has waited longer than the timeout; the blocked read then
 * fails with a {@link SocketTimeoutException}.
 *
 * <p>{@link #abortAll()} closes every guarded stream (and every {@link #watch watched} body) at once, for a worker that stops: a read blocked in the
 * JDK 17 client's body stream does not end on {@code Thread.interrupt()} (the stream waits again), so without it
 * a stopping transfer would hang until the peer sent more or the read timeout fired.
 */
final class ReadTimeouts implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "meridian-transfer-read-timeouts");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();

  /** A body watched to be aborted (a guarded stream, or one that times its reads out itself); closed with the body. */
  final class Watch implements AutoCloseable {
    private final Runnable abort;

    private Watch(Runnable abort) {
      this.abort = abort;
    }

    @Override
    public void close() {
      watched.remove(this);
    }
  }

  /** Runs {@code abort} on {@link #abortAll} until the returned watch is closed. */
  Watch watch(Runnable abort) {
    Watch watch = new Watch(abort);
    watched.add(watch);
    return watch;
  }

  /** Wraps {@code in} so that any single read waiting longer than {@code timeout} fails. */
  InputStream guard(InputStream in, Duration timeout) {
    Guarded guarded = new Guarded(in, timeout.toNanos());
    return guarded;
  }

  /** Closes every guarded stream still open: reads blocked in them fail now. */
  void abortAll() {
    for (Watch watch : watched) watch.abort.run();
  }

  @Override
  public void close() {
    abortAll();
    timer.shutdownNow();
  }

  private final class Guarded extends FilterInputStream {
    private final long timeoutNanos;
    private final ScheduledFuture<?> timeoutCheck;
    private final Watch registration;
    private volatile long readStartedNanos; // 0: no read in progress
    private volatile boolean timedOut;
    private volatile boolean aborted;

    Guarded(InputStream in, long timeoutNanos) {
      super(in);
      this.timeoutNanos = timeoutNanos;
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), timeoutNanos / 4);
      this.timeoutCheck = timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
      this.registration = watch(this::abort);
    }

    private void check() {
      long started = readStartedNanos;
      if (started != 0 && System.nanoTime() - started > timeoutNanos) {
        timedOut = true;
        timeoutCheck.cancel(false);
        try {
          in.close(); // wakes the blocked read
        } catch (IOException | RuntimeException ignored) {
          // the read fails either way
        }
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      readStartedNanos = System.nanoTime();
      try {
        if (aborted) throw new IOException("transfer stopped");
        int n = in.read(b, off, len);
        if (timedOut) throw timeout(null);
        if (aborted) throw new IOException("transfer stopped");
        return n;
      } catch (IOException e) {
        if (timedOut) throw timeout(e);
        throw e;
      } finally {
        readStartedNanos = 0;
      }
    }

    private SocketTimeoutException timeout(IOException cause) {
      var e = new SocketTimeoutException("no bytes from peer for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      if (cause != null) e.initCause(cause);
      return e;
    }

    void abort() {
      aborted = true;
      timeoutCheck.cancel(false);
      try {
        in.close(); // wakes a blocked read
      } catch (IOException | RuntimeException ignored) {
        // the read fails either way
      }
    }

    @Override
    public void close() throws IOException {
      registration.close();
      timeoutCheck.cancel(false);
      super.close();
    }
  }
}
