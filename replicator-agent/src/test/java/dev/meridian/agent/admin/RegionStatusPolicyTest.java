package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.replication.CreationProgress;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RegionStatusPolicyTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:01:00Z");

  private static ReplicationSample sample(boolean reachable, long pending, long behind, long outbox, OptionalLong oldest) {
    return new ReplicationSample(reachable, reachable ? Optional.empty() : Optional.of("connection refused"), pending,
        pending * 100, oldest, outbox, OptionalLong.of(behind), 42, 7, Optional.empty());
  }

  private static RegionStatus status(ReplicationSample sample, Optional<String> stall) {
    return RegionStatusPolicy.status("westus", "http://127.0.0.1:5002", false, sample, stall, NOW);
  }

  @Test
  void nothingPendingIsReadyWithZeroLag() {
    RegionStatus s = status(sample(true, 0, 0, 0, OptionalLong.empty()), Optional.empty());
    assertThat(s.state()).isEqualTo(RegionState.READY);
    assertThat(s.lagSeconds()).isZero();
    assertThat(s.reason()).isEmpty();
    assertThat(s.eventsApplied()).isEqualTo(42);
    assertThat(s.routingEnabled()).isFalse();
  }

  @Test
  void pendingTransfersOrUnreplayedRecordsAreSyncing() {
    assertThat(status(sample(true, 2, 0, 0, OptionalLong.empty()), Optional.empty()).state()).isEqualTo(RegionState.SYNCING);
    assertThat(status(sample(true, 0, 9, 0, OptionalLong.empty()), Optional.empty()).state()).isEqualTo(RegionState.SYNCING);
  }

  @Test
  void anOutboxBacklogAloneDoesNotMakeTheRegionSyncing() {
    assertThat(status(sample(true, 0, 0, 12, OptionalLong.empty()), Optional.empty()).state()).isEqualTo(RegionState.READY);
  }

  @Test
  void lagIsTheAgeOfTheOldestPendingManifestFromItsOriginTime() {
    RegionStatus s = status(sample(true, 1, 0, 0, OptionalLong.of(NOW.minusMillis(12_500).toEpochMilli())), Optional.empty());
    assertThat(s.lagSeconds()).isEqualTo(12.5);
    RegionStatus skewed = status(sample(true, 1, 0, 0, OptionalLong.of(NOW.plusSeconds(3).toEpochMilli())), Optional.empty());
    assertThat(skewed.lagSeconds()).isZero();
  }

  @Test
  void anUnreachableLogIsDegradedWithTheReasonEvenWhenStalled() {
    RegionStatus s = status(sample(false, 3, 0, 0, OptionalLong.empty()), Optional.of("stalled"));
    assertThat(s.state()).isEqualTo(RegionState.DEGRADED);
    assertThat(s.reason()).contains("event log unreachable: connection refused");
    assertThat(s.lastError()).contains("connection refused");
  }

  @Test
  void aStallIsDegradedWithItsReason() {
    RegionStatus s = status(sample(true, 3, 0, 0, OptionalLong.empty()), Optional.of("stalled: no progress for 130 s"));
    assertThat(s.state()).isEqualTo(RegionState.DEGRADED);
    assertThat(s.reason()).contains("stalled: no progress for 130 s");
  }

  private static ReplicationSample creating(boolean reachable, CreationProgress progress) {
    return new ReplicationSample(reachable, reachable ? Optional.empty() : Optional.of("connecting"), 3, 300,
        OptionalLong.empty(), 0, OptionalLong.of(0), 0, 0, Optional.empty(), Optional.of(progress));
  }

  @Test
  void aRegionMergingAPeersSnapshotIsCreatingThoughNotConnectedToTheLogYet() {
    CreationProgress merging = new CreationProgress(true, 4, 1000, OptionalLong.empty());
    RegionStatus s = status(creating(false, merging), Optional.empty());
    assertThat(s.state()).isEqualTo(RegionState.CREATING);
    assertThat(s.creation()).contains(merging);
  }

  @Test
  void aRegionFetchingWhatItsSnapshotCalledForIsCreatingUnlessTheLogIsUnreachableOrItStalled() {
    CreationProgress fetching = new CreationProgress(false, 2, 500, OptionalLong.of(3));
    assertThat(status(creating(true, fetching), Optional.empty()).state()).isEqualTo(RegionState.CREATING);
    assertThat(status(creating(false, fetching), Optional.empty()).state()).isEqualTo(RegionState.DEGRADED);
    RegionStatus stalled = status(creating(true, fetching), Optional.of("no progress for 120 s"));
    assertThat(stalled.state()).isEqualTo(RegionState.DEGRADED);
    assertThat(stalled.creation()).as("progress only for a creating region").isEmpty();
  }
}
