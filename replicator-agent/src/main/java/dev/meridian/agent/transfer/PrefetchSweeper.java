package dev.meridian.agent.transfer;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.PrefetchedBlob;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims blobs copied ahead of any manifest ({@code blob.put} prefetches) that no manifest claimed within
 * the grace period: the origin's client uploaded a layer and never pushed a manifest using it here.
 *
 * <p>A blob is claimed when any manifest register of any repository, pending or served, references it,
 * or when a manifest commit referencing it ran since the sweep began ({@link ContentGuard}). Claimed
 * blobs stop being prefetch candidates; unclaimed ones are deleted from the blob store. The blob link
 * register is left alone: it is replicated state, and a later pull or manifest simply copies the blob
 * again.
 */
public final class PrefetchSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrefetchSweeper.class);
  private static final int PAGE = 10_000;

  /** How long a prefetched blob may wait for a manifest, and how often to look. */
  public record Settings(Duration grace, Duration interval) {
    public Settings {
      if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative");
      if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
    }

    public static Settings defaults() {
      return new Settings(Duration.ofHours(1), Duration.ofMinutes(5));
    }
  }

  /** What one sweep did. */
  public record Sweep(int claimed, int reclaimed, long reclaimedBytes) {}

  private final RegistryState state;
  private final BlobStore blobs;
  private final ContentGuard guard;
  private final Settings settings;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meridian-prefetch-sweeper");
    t.setDaemon(true);
    return t;
  });

  public PrefetchSweeper(RegistryState state, BlobStore blobs, ContentGuard guard, Settings settings, Clock clock) {
    this.state = state;
    this.blobs = blobs;
    this.guard = guard;
    this.settings = settings;
    this.clock = clock;
  }

  public PrefetchSweeper start() {
    long every = settings.interval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        sweep();
      } catch (RuntimeException e) {
        log.warn("prefetch.sweep.failed reason={}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass: every prefetched blob older than the grace period is either claimed or reclaimed. */
  public Sweep sweep() {
    Instant cutoff = clock.instant().minus(settings.grace());
    List<PrefetchedBlob> candidates = state.listPrefetched(PAGE).stream().filter(p -> p.fetchedAt().isBefore(cutoff)).toList();
    if (candidates.isEmpty()) return new Sweep(0, 0, 0);
    Set<Digest> wanted = new HashSet<>();
    candidates.forEach(c -> wanted.add(c.digest()));
    guard.startSweep();
    Set<Digest> referenced = new HashSet<>();
    state.forEachManifest(m -> {
      if (!m.present()) return;
      for (Descriptor d : m.references()) if (wanted.contains(d.digest())) referenced.add(d.digest());
      m.subject().map(Descriptor::digest).filter(wanted::contains).ifPresent(referenced::add);
      if (wanted.contains(m.digest())) referenced.add(m.digest());
    });
    Sweep sweep = guard.reclaiming(claims -> {
      int claimed = 0;
      int reclaimed = 0;
      long bytes = 0;
      StateBatch.Builder forget = StateBatch.builder();
      for (PrefetchedBlob c : candidates) {
        forget.add(new StateWrite.DeletePrefetched(c.repository(), c.digest()));
        if (referenced.contains(c.digest()) || claims.contains(c.digest())) {
          claimed++;
          continue;
        }
        long size = blobs.stat(c.digest()).map(b -> b.size()).orElse(0L);
        if (blobs.delete(c.digest())) {
          reclaimed++;
          bytes += size;
        }
      }
      state.apply(forget.build());
      return new Sweep(claimed, reclaimed, bytes);
    });
    log.info("prefetch.sweep candidates={} claimed={} reclaimed={} reclaimed_bytes={}",
        candidates.size(), sweep.claimed(), sweep.reclaimed(), sweep.reclaimedBytes());
    return sweep;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
