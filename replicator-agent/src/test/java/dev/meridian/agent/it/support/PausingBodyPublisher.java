package dev.meridian.agent.it.support;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body of {@code size} seeded pseudo-random bytes that stops after {@code pauseAt} bytes and waits,
 * with the request still open, until {@link #release()}: a client stuck in the middle of a large upload, at a
 * point the test chooses, without holding the body in memory.
 *
 * <p>The declared Content-Length is the full size, so the server sees a body that is merely late, not short.
 * Bytes are produced on a thread of the publisher's own, one 64 KiB buffer per unit of demand.
 */
public final class PausingBodyPublisher implements HttpRequest.BodyPublisher {
  private static final int BUFFER = 64 * 1024;

  private final long seed;
  private final long size;
  private final long pauseAt;
  private final AtomicLong sent = new AtomicLong();
  private final CountDownLatch released = new CountDownLatch(1);

  public PausingBodyPublisher(long seed, long size, long pauseAt) {
    if (pauseAt > size) throw new IllegalArgumentException("pauseAt > size");
    this.seed = seed;
    this.size = size;
    this.pauseAt = pauseAt;
  }

  /** The digest of the whole body, computed by generating it once. */
  public Digest digest() {
    var bytes = new SeededBytes(seed);
    var digester = new Digester(DigestAlgorithm.SHA256);
    byte[] buffer = new byte[BUFFER];
    for (long done = 0; done < size; done += BUFFER) {
      int n = (int) Math.min(BUFFER, size - done);
      bytes.fill(buffer, 0, n);
      digester.update(buffer, 0, n);
    }
    return digester.digest();
  }

  /** Bytes handed to the HTTP client so far. */
  public long bytesSent() {
    return sent.get();
  }

  public boolean isPaused() {
    return sent.get() == pauseAt && released.getCount() == 1;
  }

  /** Lets the rest of the body go (or lets the producer thread end, if the request is gone). */
  public void release() {
    released.countDown();
  }

  @Override
  public long contentLength() {
    return size;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    var demand = new AtomicLong();
    var cancelled = new AtomicBoolean();
    var producer = new Thread(() -> produce(subscriber, demand, cancelled), "pausing-body-" + seed);
    producer.setDaemon(true);
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        synchronized (demand) {
          demand.addAndGet(n);
          demand.notifyAll();
        }
      }

      @Override
      public void cancel() {
        cancelled.set(true);
        release();
        synchronized (demand) {
          demand.notifyAll();
        }
      }
    });
    producer.start();
  }

  private void produce(Flow.Subscriber<? super ByteBuffer> subscriber, AtomicLong demand, AtomicBoolean cancelled) {
    var bytes = new SeededBytes(seed);
    try {
      while (sent.get() < size && !cancelled.get()) {
        if (sent.get() == pauseAt) released.await();
        synchronized (demand) {
          while (demand.get() == 0 && !cancelled.get()) demand.wait();
          if (cancelled.get()) return;
          demand.decrementAndGet();
        }
        long limit = sent.get() < pauseAt ? pauseAt : size;
        int n = (int) Math.min(BUFFER, limit - sent.get());
        byte[] buffer = new byte[n];
        bytes.fill(buffer, 0, n);
        sent.addAndGet(n);
        subscriber.onNext(ByteBuffer.wrap(buffer));
      }
      if (!cancelled.get()) subscriber.onComplete();
    } catch (InterruptedException e) {
      subscriber.onError(e);
    }
  }
}
