package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.StorageStatus;
import dev.meridian.agent.transfer.BlobFetcher;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.blob.UploadInfo;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of one region's blob store: blobs no manifest of any repository needs any more, and
 * upload sessions abandoned by their clients. Each region collects its own disk; nothing here is replicated.
 *
 * <p>Mark ({@link LiveContent}), then sweep. A blob is deleted only if the mark did not reach it, its file is
 * older than the grace period, and no commit claimed it through the {@link ContentGuard} since the mark
 * began: a push or replay that found it present and is about to commit a manifest referencing it holds a
 * claim, so it either commits before the delete (and the claim keeps the blob) or checks presence after it
 * (and sees the blob gone, asking the client or a peer for it again). Deletes run in small groups under the
 * guard's write lock, so pushes wait for one group at most.
 *
 * <p>An upload session is abandoned when no byte arrived for {@code uploadGrace}. A client's session is
 * expired through the registry (which refuses if a request is writing to it); a transfer's session
 * ({@code xfer-...}) is left alone while any transfer job wants its digest.
 */
public final class GarbageCollector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
  private static final int GROUP = 256;

  /**
   * @param grace blobs stored or linked more recently than this are kept whatever references them
   * @param uploadGrace an upload session idle this long is abandoned
   * @param interval how often to collect in the background
   */
  public record Settings(Duration grace, Duration uploadGrace, Duration interval) {
    public Settings {
      requireNonNull(grace, "grace");
      requireNonNull(uploadGrace, "uploadGrace");
      requireNonNull(interval, "interval");
      if (grace.isNegative()) throw new IllegalArgumentException("gc grace must not be negative: " + grace);
      if (uploadGrace.isNegative()) throw new IllegalArgumentException("upload grace must not be negative: " + uploadGrace);
      if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("gc interval must be positive: " + interval);
    }

    public static Settings defaults() {
      return new Settings(Duration.ofHours(1), Duration.ofHours(24), Duration.ofHours(1));
    }
  }

  /** Ends an abandoned client upload session; false if a request is writing to it right now. */
  @FunctionalInterface
  public interface UploadExpiry {
    boolean expire(UploadId id);
  }

  private final RegistryState state;
  private final BlobStore blobs;
  private final ContentGuard guard;
  private final UploadExpiry uploads;
  private final Settings settings;
  private final Predicate<ManifestRecord> restorable;
  private final Clock clock;
  private final GcListener listener;
  private final AtomicLong reclaimedTotal = new AtomicLong();
  private volatile Optional<GcReport> last = Optional.empty();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "meridian-gc");
    t.setDaemon(true);
    return t;
  });

  /** @param restorable deleted manifests still within their soft-delete retention: their content is kept */
  public GarbageCollector(RegistryState state, BlobStore blobs, ContentGuard guard, UploadExpiry uploads, Settings settings,
      Predicate<ManifestRecord> restorable, Clock clock, GcListener listener) {
    this.state = requireNonNull(state, "state");
    this.blobs = requireNonNull(blobs, "blobs");
    this.guard = requireNonNull(guard, "guard");
    this.uploads = requireNonNull(uploads, "uploads");
    this.settings = requireNonNull(settings, "settings");
    this.restorable = requireNonNull(restorable, "restorable");
    this.clock = requireNonNull(clock, "clock");
    this.listener = requireNonNull(listener, "listener");
  }

  public GarbageCollector start() {
    long every = settings.interval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        collect(false);
      } catch (RuntimeException e) {
        log.warn("gc.failed reason={}", e.toString());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Collects now (one collection at a time); a dry run deletes nothing and reports what it would delete. */
  public synchronized GcReport collect(boolean dryRun) {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    try {
      Instant cutoff = started.minus(settings.grace());
      guard.startSweep();
      Set<Digest> live = LiveContent.mark(state, cutoff, restorable);
      Sweep blobSweep = sweepBlobs(live, cutoff, dryRun);
      Sweep uploadSweep = sweepUploads(started.minus(settings.uploadGrace()), dryRun);
      GcReport report = new GcReport(dryRun, started, Duration.ofNanos(System.nanoTime() - t0), blobSweep.scanned,
          blobSweep.stored - blobSweep.bytes, blobSweep.count, blobSweep.bytes, uploadSweep.count, uploadSweep.bytes,
          blobSweep.digests, uploadSweep.ids);
      if (!dryRun) {
        reclaimedTotal.addAndGet(report.reclaimedBytes());
        last = Optional.of(report);
      }
      listener.collected(report);
      log.info("gc.done dry_run={} blobs_scanned={} blobs_deleted={} blob_bytes={} uploads_deleted={} upload_bytes={} "
              + "stored_bytes={} duration_ms={}", dryRun, report.blobsScanned(), report.blobsDeleted(),
          report.blobBytesReclaimed(), report.uploadsDeleted(), report.uploadBytesReclaimed(), report.storedBytes(),
          report.duration().toMillis());
      return report;
    } catch (RuntimeException e) {
      listener.failed();
      throw e;
    }
  }

  /** Stored bytes and what collections reclaimed, for the region's status. */
  public StorageStatus storage() {
    Optional<GcReport> report = last;
    return new StorageStatus(report.map(GcReport::storedBytes).orElse(0L), reclaimedTotal.get(),
        report.map(r -> r.startedAt().plus(r.duration())));
  }

  /** The last collection that was not a dry run. */
  public Optional<GcReport> lastCollection() {
    return last;
  }

  private static final class Sweep {
    long scanned;
    long stored;
    int count;
    long bytes;
    final List<Digest> digests = new ArrayList<>();
    final List<UploadId> ids = new ArrayList<>();
  }

  private Sweep sweepBlobs(Set<Digest> live, Instant cutoff, boolean dryRun) {
    Sweep sweep = new Sweep();
    List<BlobInfo> unmarked = new ArrayList<>();
    blobs.forEach(b -> {
      sweep.scanned++;
      sweep.stored += b.size();
      if (!live.contains(b.digest())) unmarked.add(b);
    });
    List<BlobInfo> old = unmarked.stream()
        .filter(b -> blobs.lastModified(b.digest()).map(at -> at.isBefore(cutoff)).orElse(false))
        .toList();
    for (int from = 0; from < old.size(); from += GROUP) {
      List<BlobInfo> group = old.subList(from, Math.min(old.size(), from + GROUP));
      guard.reclaiming(claims -> {
        for (BlobInfo b : group) {
          if (claims.contains(b.digest())) continue;
          if (!dryRun && !blobs.delete(b.digest())) continue;
          sweep.count++;
          sweep.bytes += b.size();
          if (sweep.digests.size() < GcReport.LISTED) sweep.digests.add(b.digest());
        }
        return null;
      });
    }
    return sweep;
  }

  private Sweep sweepUploads(Instant idleBefore, boolean dryRun) {
    Set<UploadId> transferring = new HashSet<>();
    Optional<TransferJob> after = Optional.empty();
    while (true) {
      List<TransferJob> jobs = state.listTransfers(after, 10_000);
      jobs.forEach(j -> transferring.add(BlobFetcher.uploadIdFor(j.digest())));
      if (jobs.size() < 10_000) break;
      after = Optional.of(jobs.get(jobs.size() - 1));
    }
    List<UploadInfo> idle = new ArrayList<>();
    blobs.forEachUpload(u -> {
      if (u.lastModified().isBefore(idleBefore) && !transferring.contains(u.id())) idle.add(u);
    });
    Sweep sweep = new Sweep();
    for (UploadInfo u : idle) {
      if (!dryRun && !expire(u.id())) continue;
      sweep.count++;
      sweep.bytes += u.size();
      if (sweep.ids.size() < GcReport.LISTED) sweep.ids.add(u.id());
    }
    return sweep;
  }

  private boolean expire(UploadId id) {
    if (state.findUpload(id).isPresent()) return uploads.expire(id);
    // A transfer's session no job wants, or one whose client session record is gone: nobody resumes it.
    Optional<BlobUpload> upload = blobs.findUpload(id);
    upload.ifPresent(BlobUpload::cancel);
    return upload.isPresent();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
