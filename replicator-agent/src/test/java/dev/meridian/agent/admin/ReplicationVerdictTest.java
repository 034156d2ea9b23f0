package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationVerdictTest {
  private static final Digest A = Digest.sha256Of("a".getBytes(StandardCharsets.UTF_8));
  private static final Digest B = Digest.sha256Of("b".getBytes(StandardCharsets.UTF_8));
  private static final Digest OLD = Digest.sha256Of("old".getBytes(StandardCharsets.UTF_8));
  private static final Stamp PUSHED = stamp(100, "eastus");

  private static Stamp stamp(long millis, String origin) {
    return new Stamp(new HlcTimestamp(millis, 0), new RegionId(origin));
  }

  private static ManifestFacts tag(ManifestStatus own, Digest served, Digest winner, Stamp stamp, ManifestStatus expected) {
    return new ManifestFacts("westus", own, Optional.ofNullable(served), Optional.ofNullable(winner), Optional.ofNullable(stamp),
        Optional.ofNullable(expected));
  }

  private static ManifestStatus judge(ManifestFacts facts) {
    return ReplicationVerdict.judge(Optional.of(A), Optional.of(PUSHED), facts);
  }

  @Test
  void aTagServingTheAskersDigestIsComplete() {
    assertThat(judge(tag(ManifestStatus.COMPLETE, A, A, PUSHED, ManifestStatus.COMPLETE))).isEqualTo(ManifestStatus.COMPLETE);
  }

  @Test
  void aTagStillServingItsOldDigestWhileTheNewOneArrivesIsPending() {
    // Replay moved the tag to A, A's content is arriving, the fallback OLD is served meanwhile.
    assertThat(judge(tag(ManifestStatus.PENDING, OLD, A, PUSHED, ManifestStatus.PENDING))).isEqualTo(ManifestStatus.PENDING);
  }

  @Test
  void aRegionThatNeverHeardOfThePushIsAbsentEvenIfItServesAnOlderDigest() {
    assertThat(judge(tag(ManifestStatus.COMPLETE, OLD, OLD, stamp(50, "westus"), ManifestStatus.ABSENT))).isEqualTo(ManifestStatus.ABSENT);
    assertThat(judge(tag(ManifestStatus.ABSENT, null, null, null, ManifestStatus.ABSENT))).isEqualTo(ManifestStatus.ABSENT);
  }

  @Test
  void theManifestHereWithoutTheTagYetIsPending() {
    assertThat(judge(tag(ManifestStatus.COMPLETE, OLD, OLD, stamp(50, "westus"), ManifestStatus.COMPLETE))).isEqualTo(ManifestStatus.PENDING);
  }

  @Test
  void aNewerWinningWriteServedThereIsComplete() {
    // Another region moved the tag to B after the asker's push; B is the fleet's winner and fully there.
    assertThat(judge(tag(ManifestStatus.COMPLETE, B, B, stamp(200, "westus"), ManifestStatus.COMPLETE))).isEqualTo(ManifestStatus.COMPLETE);
    // Equal HLC and a higher origin id wins too.
    assertThat(judge(tag(ManifestStatus.COMPLETE, B, B, stamp(100, "westus"), null))).isEqualTo(ManifestStatus.COMPLETE);
  }

  @Test
  void aNewerWinningWriteStillArrivingIsPending() {
    assertThat(judge(tag(ManifestStatus.PENDING, OLD, B, stamp(200, "westus"), ManifestStatus.ABSENT))).isEqualTo(ManifestStatus.PENDING);
  }

  @Test
  void anOlderWinnerThatLosesToThePushIsNotComplete() {
    assertThat(judge(tag(ManifestStatus.COMPLETE, B, B, stamp(100, "apac"), ManifestStatus.ABSENT))).isEqualTo(ManifestStatus.ABSENT);
  }

  @Test
  void digestsAndTagsUnknownToTheAskerAreJudgedByTheRegionItself() {
    ManifestFacts pending = new ManifestFacts("westus", ManifestStatus.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(ReplicationVerdict.judge(Optional.empty(), Optional.empty(), pending)).isEqualTo(ManifestStatus.PENDING);
    ManifestFacts complete = new ManifestFacts("westus", ManifestStatus.COMPLETE, Optional.of(A), Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(ReplicationVerdict.judge(Optional.empty(), Optional.empty(), complete)).isEqualTo(ManifestStatus.COMPLETE);
  }

  @Test
  void aRegionWhoseFilterKeepsTheRepositoryOutIsExcludedWhateverTheAskerExpects() {
    ManifestFacts excluded = new ManifestFacts("westus", ManifestStatus.EXCLUDED, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(ManifestStatus.EXCLUDED));
    assertThat(judge(excluded)).isEqualTo(ManifestStatus.EXCLUDED);
    assertThat(ReplicationVerdict.judge(Optional.empty(), Optional.empty(), excluded)).isEqualTo(ManifestStatus.EXCLUDED);
  }
}
