package dev.meridian.agent.security;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The per-client limits of {@link ClientLimits}: a token bucket per remote address for the request rate, and a
 * counter per remote address for uploads in progress. Exempt addresses pass both. Thread-safe.
 *
 * <p>Buckets of clients that went quiet are forgotten once full again (a full bucket is the same as none), so
 * memory follows the clients active in the last {@code burst / rate} seconds, checked every 4096 requests.
 */
public final class ClientRateLimiter {
  private static final int SWEEP_EVERY = 4096;

  private final ClientLimits limits;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> uploads = new ConcurrentHashMap<>();
  private final AtomicInteger sinceSweep = new AtomicInteger();

  public ClientRateLimiter(ClientLimits limits, LongSupplier nanos) {
    this.limits = limits;
    this.nanos = nanos;
  }

  public ClientRateLimiter(ClientLimits limits) {
    this(limits, System::nanoTime);
  }

  public ClientLimits limits() {
    return limits;
  }

  /** Admits one request from {@code client}: empty if it may go on, else how long it should wait before asking again. */
  public java.util.Optional<Duration> admit(InetAddress client) {
    if (!limits.rateLimited() || exempt(client)) return java.util.Optional.empty();
    long now = nanos.getAsLong();
    if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) sweep(now);
    TokenBucket bucket = buckets.computeIfAbsent(client, c -> new TokenBucket(limits.burst(), limits.requestsPerSecond(), now));
    long wait;
    synchronized (bucket) {
      wait = bucket.tryTake(now);
    }
    return wait == 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(wait));
  }

  /**
   * Starts an upload request of {@code client}: true if it may go on, and then {@link #uploadDone} must follow
   * exactly once; false when it already has the maximum in progress.
   */
  public boolean startUpload(InetAddress client) {
    if (limits.maxConcurrentUploads() == 0 || exempt(client)) return true;
    AtomicInteger count = uploads.computeIfAbsent(client, c -> new AtomicInteger());
    while (true) {
      int now = count.get();
      if (now >= limits.maxConcurrentUploads()) return false;
      if (count.compareAndSet(now, now + 1)) return true;
    }
  }

  /** An upload request admitted by {@link #startUpload} ended (answered or dropped). */
  public void uploadDone(InetAddress client) {
    if (limits.maxConcurrentUploads() == 0 || exempt(client)) return;
    uploads.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Uploads of {@code client} in progress, as counted. */
  public int uploadsInProgress(InetAddress client) {
    AtomicInteger count = uploads.get(client);
    return count == null ? 0 : count.get();
  }

  /** Clients with a bucket remembered. */
  public int trackedClients() {
    return buckets.size();
  }

  private boolean exempt(InetAddress client) {
    for (var range : limits.exempt()) {
      if (range.contains(client)) return true;
    }
    return false;
  }

  private void sweep(long now) {
    sinceSweep.set(0);
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().full(now);
      }
    });
  }
}
