package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CreationProgressTest {

  @Test
  void bytesRemainingAreTheExpectedBytesLessThoseFetchedSinceSeedingBegan() {
    CreationProgress p = CreationProgress.estimate(false, 3, 10_000, 4_000, 2_000);
    assertThat(p.manifestsRemaining()).isEqualTo(3);
    assertThat(p.bytesRemaining()).isEqualTo(6_000);
  }

  @Test
  void theEtaIsTheRemainingBytesAtTheAverageRateSoFarRoundedUp() {
    // 4,000 bytes in 2 s is 2,000 B/s; 6,000 left is 3 s.
    assertThat(CreationProgress.estimate(false, 3, 10_000, 4_000, 2_000).etaSeconds()).hasValue(3);
    // 1,000 B/s, 2,500 left: 2.5 s rounds up to 3.
    assertThat(CreationProgress.estimate(false, 1, 3_500, 1_000, 1_000).etaSeconds()).hasValue(3);
  }

  @Test
  void withNoByteFetchedYetThereIsNoEta() {
    assertThat(CreationProgress.estimate(false, 5, 10_000, 0, 3_000).etaSeconds()).isEmpty();
    assertThat(CreationProgress.estimate(false, 5, 10_000, 10, 0).etaSeconds()).isEmpty();
  }

  @Test
  void whileTheSnapshotIsStillMergedThereIsNoEtaEvenWithNothingCountedYet() {
    assertThat(CreationProgress.estimate(true, 0, 0, 0, 3_000).etaSeconds()).isEmpty();
    assertThat(CreationProgress.estimate(true, 5, 10_000, 4_000, 2_000).etaSeconds()).isEmpty();
  }

  @Test
  void fetchingMoreThanEstimatedLeavesZeroNotANegativeCount() {
    CreationProgress p = CreationProgress.estimate(false, 1, 1_000, 5_000, 1_000);
    assertThat(p.bytesRemaining()).isZero();
    assertThat(p.etaSeconds()).hasValue(0);
  }

  @Test
  void noManifestLeftMeansNothingLeftToFetchWhateverTheEstimate() {
    assertThat(CreationProgress.estimate(false, 0, 1_000_000, 10, 1_000).bytesRemaining()).isZero();
  }

  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> new CreationProgress(false, -1, 0, OptionalLong.empty())).isInstanceOf(IllegalArgumentException.class);
  }
}
