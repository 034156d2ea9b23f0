package dev.meridian.agent.admin;

import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Reads a fleet member's {@link ReplicationSample}: counters from the runtime, pending work from the state
 * store. Pending bytes and the oldest pending manifest come from a scan of the transfer jobs, bounded by
 * {@link #SCAN_LIMIT} (beyond it the job count stays exact and the bytes, and a creating region's manifests
 * remaining, are lower bounds).
 */
public final class ReplicationSampler implements Supplier<ReplicationSample> {
  static final int SCAN_LIMIT = 10_000;
  private static final int PAGE = 500;

  private final ReplicationRuntime runtime;
  private final RegistryState state;

  public ReplicationSampler(ReplicationRuntime runtime, RegistryState state) {
    this.runtime = runtime;
    this.state = state;
  }

  @Override
  public ReplicationSample get() {
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
    boolean connected = runtime.isConnected();
    Optional<String> relayFailing = runtime.relay().failing();
    Optional<String> logError = connected ? relayFailing.map(f -> "relay: " + f) : runtime.connectError().or(() -> Optional.of("connecting"));
    boolean replays = runtime.membership() == dev.meridian.agent.replication.RegionMembership.ACTIVE;
    if (connected && replays && !runtime.replaying()) logError = Optional.of("replay stopped (see the agent log)");
    long applied = runtime.replayer().applied();
    long progress = applied + runtime.relay().shipped() + runtime.transfers().jobsDone() + runtime.transfers().bytesFetched();
    return new ReplicationSample(logError.isEmpty(), logError, state.transferCount(), bytes,
        oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest), state.outboxSize(),
        runtime.recordsBehind(), applied, progress, runtime.transfers().lastFailure().or(runtime.relay()::failing),
        runtime.seeding().observe(manifestJobs, runtime.transfers().bytesFetched(), runtime.recordsBehind()));
  }
}
