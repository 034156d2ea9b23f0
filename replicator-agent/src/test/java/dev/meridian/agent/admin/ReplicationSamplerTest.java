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
    assertThat(ReplicationSampler.mustRescan(jobs(1_000_000), 999_999)).isFalse();
    assertThat(ReplicationSampler.mustRescan(jobs(1_000_000), 1_000_000)).isTrue();
  }

  @Test
  void aScanThatSawNoJobsIsNeverRepeatedSoASeedCannotEndOnAStaleZero() {
    assertThat(ReplicationSampler.mustRescan(jobs(0), 0)).isTrue();
  }
}
