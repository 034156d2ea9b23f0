package dev.meridian.agent.repair;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.Digester;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.QuarantinePlanner;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-hashes every stored blob in the background, at most {@code rate} bytes per second, one pass every
 * {@code interval} (DESIGN.md §7). A blob whose bytes do not hash to its digest is quarantined: moved out of
 * the store ({@link BlobStore#quarantine}), so neither a client nor a peer is ever handed it again; every
 * manifest relying on it becomes pending ({@link QuarantinePlanner}), so it is not served while the blob is
 * missing; and the transfer worker is woken to fetch it again from a peer, which makes those manifests
 * complete again. If no peer holds it, they stay pending, and the region's status says so. A blob a peer asks for
 * is verified the same way before it is sent ({@link #verifyOrQuarantine}).
 *
 * <p>The move runs under the {@link ContentGuard}'s write lock: a push or a replay that found the blob
 * present commits entirely before it (its manifest register is then seen by the scan that follows) or checks
 * presence entirely after it (and finds the blob missing). Passes run one at a time on one thread;
 * {@link #scrubNow} runs one at once (the admin API, tests) and waits for it.
 */
public final class Scrubber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scrubber.class);
  private static final int BUFFER = 64 * 1024;
  /**
   * How long a blob found intact for a peer is trusted without hashing it again, while its file keeps its size
   * and modification time: a large blob fetched in several ranges, or by several peers, is hashed once, not per
   * request. Bit rot in that window does not change the stamp; the receiving peer's digest check still refuses
   * such bytes, and the next scrub pass quarantines them.
   */
  public static final Duration PEER_VERDICT_TTL = Duration.ofMinutes(10);

  /** One quarantined blob and the manifests ({@code repository@digest}) now pending on it. */
  public record Quarantined(Digest digest, long size, List<String> pendingManifests) {
    public Quarantined {
      pendingManifests = List.copyOf(pendingManifests);
    }
  }

  /** What one pass did. */
  public record Report(int blobs, long bytes, List<Quarantined> quarantined, Duration took) {
    public Report {
      quarantined = List.copyOf(quarantined);
    }
  }

  private final BlobStore blobs;
  private final RegistryState state;
  private final ContentGuard guard;
  private final QuarantinePlanner planner;
  private final ScrubPace pace;
  private final Duration interval;
  private final ScrubListener listener;
  private final Runnable onPending;
  private final QuarantineWrites recorded;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meridian-scrubber");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopped;
  private final VerifiedBlobs verifiedForPeers;

  /**
   * @param state the state pending marks are written to
   * @param onPending told after manifests became pending (wakes the transfer worker)
   */
  public Scrubber(BlobStore blobs, RegistryState state, ContentGuard guard, Clock clock, long bytesPerSecond,
      Duration interval, ScrubListener listener, Runnable onPending) {
    this(blobs, state, guard, clock, bytesPerSecond, interval, listener, onPending, QuarantineWrites.NONE);
  }

  /** Writes committed in the batch of a quarantine's pending marks (its notifications), so neither goes without the other. */
  public interface QuarantineWrites {
    QuarantineWrites NONE = (digest, size, pending) -> List.of();

    List<dev.meridian.core.state.StateWrite> of(Digest digest, long size, List<String> pendingManifests);
  }

  /** With {@code recorded} written in the batch of each quarantine's pending marks. */
  public Scrubber(BlobStore blobs, RegistryState state, ContentGuard guard, Clock clock, long bytesPerSecond,
      Duration interval, ScrubListener listener, Runnable onPending, QuarantineWrites recorded) {
    this(blobs, state, guard, clock, bytesPerSecond, interval, listener, onPending, recorded, new VerifiedBlobs(PEER_VERDICT_TTL));
  }

  /**
   * With {@code verifiedForPeers} shared with the blob store ({@link VerifiedBlobs} is its {@code PublishListener}), so
   * that a blob hashed when it was committed here is not hashed again for its first peer.
   */
  public Scrubber(BlobStore blobs, RegistryState state, ContentGuard guard, Clock clock, long bytesPerSecond,
      Duration interval, ScrubListener listener, Runnable onPending, QuarantineWrites recorded, VerifiedBlobs verifiedForPeers) {
    this.verifiedForPeers = java.util.Objects.requireNonNull(verifiedForPeers, "verifiedForPeers");
    this.recorded = recorded;
    this.blobs = blobs;
    this.state = state;
    this.guard = guard;
    this.planner = new QuarantinePlanner(state, clock);
    this.pace = new ScrubPace(bytesPerSecond);
    this.interval = interval;
    this.listener = listener;
    this.onPending = onPending;
  }

  public Scrubber start() {
    long every = interval.toMillis();
    thread.scheduleWithFixedDelay(() -> {
      try {
        pass();
      } catch (RuntimeException e) {
        log.warn("scrub.pass.failed reason={}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs a pass now (after one in progress, if any) and returns what it did. */
  public Report scrubNow() {
    Future<Report> pass = thread.submit(this::pass);
    try {
      return pass.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pass.cancel(true);
      throw new IllegalStateException("interrupted while scrubbing", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private Report pass() {
    long started = System.nanoTime();
    long[] totals = {0, 0}; // blobs, bytes
    List<Quarantined> quarantined = new ArrayList<>();
    // Hashed as the listing goes: nothing per blob is kept, whatever the store holds.
    blobs.forEach(blob -> {
      if (stopped) return;
      long[] read = {0};
      boolean intact;
      try {
        intact = verify(blob.digest(), started, totals[1], read);
      } catch (RegistryException gone) {
        return; // deleted since it was listed
      }
      totals[0]++;
      totals[1] += read[0];
      listener.scrubbed(read[0]);
      if (!intact) quarantine(blob.digest(), read[0]).ifPresent(quarantined::add);
    });
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    log.info("scrub.pass blobs={} bytes={} quarantined={} duration_ms={}", totals[0], totals[1], quarantined.size(), took.toMillis());
    return new Report((int) totals[0], totals[1], quarantined, took);
  }

  /**
   * Hashes one blob now, unpaced, and quarantines it if it is corrupt (as a pass would); returns whether it is
   * intact. For a blob about to be sent to a peer, so that a peer is never sent bytes this region knows to be bad.
   * {@code BLOB_UNKNOWN} if the blob is not here.
   */
  public boolean verifyOrQuarantine(Digest digest) {
    Optional<VerifiedBlobs.FileStamp> stamp = VerifiedBlobs.FileStamp.of(blobs, digest);
    if (stamp.isPresent() && verifiedForPeers.stillValid(digest, stamp.get())) return true;
    long[] read = {0};
    if (verify(digest, -1, 0, read)) {
      stamp.ifPresent(s -> verifiedForPeers.remember(digest, s));
      return true;
    }
    verifiedForPeers.forget(digest);
    quarantine(digest, read[0]);
    return false;
  }

  /** Whether the blob's bytes hash to its digest; paced so that the pass stays under the rate (unless passStarted < 0). */
  private boolean verify(Digest digest, long passStarted, long bytesBefore, long[] read) {
    Digester digester = new Digester(digest.algorithm());
    byte[] buffer = new byte[BUFFER];
    try (BlobContent content = blobs.open(digest); InputStream in = content.openStream(0, content.info().size())) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        digester.update(buffer, 0, n);
        read[0] += n;
        long wait = passStarted < 0 ? 0 : pace.delayNanos(bytesBefore + read[0], System.nanoTime() - passStarted);
        if (wait > 0) LockSupport.parkNanos(wait);
        if (stopped) return true; // not judged: the pass was cut short
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + digest, e);
    }
    return digester.digest().equals(digest);
  }

  private Optional<Quarantined> quarantine(Digest digest, long size) {
    verifiedForPeers.forget(digest);
    boolean moved = guard.reclaiming(claims -> blobs.quarantine(digest));
    if (!moved) return Optional.empty();
    QuarantinePlanner.Plan plan = planner.plan(digest);
    List<String> pending = plan.pending().stream().map(Scrubber::name).toList();
    List<dev.meridian.core.state.StateWrite> writes = new ArrayList<>(plan.writes());
    writes.addAll(recorded.of(digest, size, pending));
    if (!writes.isEmpty()) state.apply(new StateBatch(writes));
    log.warn("scrub.quarantined digest={} size_bytes={} manifests_pending={}", digest, size, pending.size());
    listener.quarantined(digest, size, pending);
    if (!pending.isEmpty()) onPending.run();
    return Optional.of(new Quarantined(digest, size, pending));
  }

  private static String name(ManifestRecord m) {
    return m.repository() + "@" + m.digest();
  }

  @Override
  public void close() {
    stopped = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
