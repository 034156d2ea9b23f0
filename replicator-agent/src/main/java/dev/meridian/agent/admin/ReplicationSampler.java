package dev.meridian.agent.admin;

import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads a fleet member's {@link ReplicationSample}: counters from the runtime, pending work from the state
 * store. Pending bytes and the oldest pending manifest come from a scan of the transfer jobs, bounded by
 * {@link #SCAN_LIMIT} (beyond it the job count stays exact and the bytes, and a creating region's manifests
 * remaining, are lower bounds).
 *
 * <p>The scan is paced to {@link #SCAN_SHARE} of a core ({@link ScanPace}): a region seeding a million tags holds a
 * million jobs, and scanning them every second took a fifth of a core from the seeding itself. Between scans a
 * sample repeats the last scan's findings; the runtime's counters are always read fresh.
 */
public final class ReplicationSampler implements Supplier<ReplicationSample> {
  static final int SCAN_LIMIT = 10_000;
  static final double SCAN_SHARE = 0.05;
  /** A scan this quick is repeated at every sample, whatever its share: a small store's status stays live. */
  static final long FREE_SCAN_NANOS = 20_000_000;
  /** The oldest a paced scan's findings get, plus one scan. */
  static final long MAX_SCAN_WAIT_NANOS = 10_000_000_000L;
  private static final int PAGE = 500;

  private final ReplicationRuntime runtime;
  private final RegistryState state;
  private final LongSupplier nanoTime;
  private final ScanPace pace = new ScanPace(SCAN_SHARE, FREE_SCAN_NANOS, MAX_SCAN_WAIT_NANOS);
  private Pending pending; // guarded by this
  private long doneAtScan; // guarded by this: the runtime's count of finished jobs when pending was scanned

  /** What the last scan of the transfer jobs found. */
  record Pending(long jobs, long bytes, OptionalLong oldestOriginMillis, long manifestJobs) {}

  public ReplicationSampler(ReplicationRuntime runtime, RegistryState state) {
    this(runtime, state, System::nanoTime);
  }

  ReplicationSampler(ReplicationRuntime runtime, RegistryState state, LongSupplier nanoTime) {
    this.runtime = runtime;
    this.state = state;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized ReplicationSample get() {
    long start = nanoTime.getAsLong();
    long done = runtime.transfers().jobsDone();
    // As many jobs finished as the last scan saw: the work may be over, and a region waiting to call itself ready (a
    // seed's end) should not wait out the pace of the scans that counted a million jobs.
    if (pending == null || mustRescan(pending, done - doneAtScan) || pace.due(start)) {
      pending = scanPending();
      doneAtScan = done;
      pace.scanned(start, nanoTime.getAsLong());
    }
    Pending jobs = pending;
    boolean connected = runtime.isConnected();
    Optional<String> relayFailing = runtime.relay().failing();
    Optional<String> logError = connected ? relayFailing.map(f -> "relay: " + f) : runtime.connectError().or(() -> Optional.of("connecting"));
    boolean replays = runtime.membership() == dev.meridian.agent.replication.RegionMembership.ACTIVE;
    if (connected && replays && !runtime.replaying()) logError = Optional.of("replay stopped (see the agent log)");
    long applied = runtime.replayer().applied();
    long progress = applied + runtime.relay().shipped() + done + runtime.transfers().bytesFetched();
    return new ReplicationSample(logError.isEmpty(), logError, jobs.jobs(), jobs.bytes(), jobs.oldestOriginMillis(),
        state.outboxSize(), runtime.recordsBehind(), applied, progress,
        runtime.transfers().lastFailure().or(runtime.relay()::failing),
        runtime.seeding().observe(jobs.manifestJobs(), runtime.transfers().bytesFetched(), runtime.recordsBehind()));
  }

  /**
   * Whether the last scan's findings must not be repeated: it saw no job (a zero would let a seed end while the merge
   * adds jobs, and scanning an empty family from its floor costs nothing), or as many jobs finished since as it saw
   * (none of them may be left).
   */
  static boolean mustRescan(Pending scanned, long finishedSince) {
    return scanned.jobs() == 0 || finishedSince >= scanned.jobs();
  }

  /** Up to {@link #SCAN_LIMIT} jobs one by one; the count past it from the store's own count. */
  private Pending scanPending() {
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    int scanned = 0;
    long manifestJobs = 0;
    Optional<TransferJob> after = Optional.empty();
    while (scanned < SCAN_LIMIT) {
      List<TransferJob> page = state.listTransfers(after, PAGE);
      for (TransferJob job : page) {
        bytes += job.size();
        if (job.kind() == TransferJob.Kind.MANIFEST) {
          manifestJobs++;
          oldest = Math.min(oldest, state.findManifest(job.repository(), job.digest())
              .map(ManifestRecord::stamp).map(s -> s.hlc().physicalMillis()).orElse(job.createdAt().toEpochMilli()));
        }
      }
      scanned += page.size();
      if (page.size() < PAGE) break;
      after = Optional.of(page.get(page.size() - 1));
    }
    // A scan that ended before the limit saw every job: counting them again would walk the family twice.
    long jobs = scanned < SCAN_LIMIT ? scanned : state.transferCount();
    return new Pending(jobs, bytes, oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest), manifestJobs);
  }
}
