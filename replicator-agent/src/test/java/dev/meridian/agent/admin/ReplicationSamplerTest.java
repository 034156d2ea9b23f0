package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReplicationSamplerTest {
  private static ReplicationSampler.Pending jobs(long n) {
    return new ReplicationSampler.Pending(n, 0, OptionalLong.empty(), n);
  }

  @Test
  void onceAsManyJobsFinishedAsTheLastScanSawTheWorkMayBeOverAndIsScannedAgain() {
    assertThat(ReplicationSampler.mayBeOver(jobs(1_000_000), 999_999)).isFalse();
    assertThat(ReplicationSampler.mayBeOver(jobs(1_000_000), 1_000_000)).isTrue();
  }

  @Test
  void aScanThatSawNoJobsIsNotHurriedByFinishedOnes() {
    assertThat(ReplicationSampler.mayBeOver(jobs(0), 5)).isFalse();
  }
}
