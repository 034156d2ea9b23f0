package dev.meridian.agent.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrubPaceTest {
  private final ScrubPace oneMegabytePerSecond = new ScrubPace(1_000_000);

  @Test
  void readingAheadOfTheRateWaitsUntilTheBytesAreDue() {
    assertThat(oneMegabytePerSecond.delayNanos(500_000, 100_000_000L)).isEqualTo(400_000_000L);
  }

  @Test
  void readingBehindTheRateNeverWaits() {
    assertThat(oneMegabytePerSecond.delayNanos(500_000, 900_000_000L)).isZero();
  }

  @Test
  void manyGigabytesDoNotOverflow() {
    assertThat(oneMegabytePerSecond.delayNanos(50_000_000_000L, 0)).isEqualTo(50_000_000_000_000L);
  }

  @Test
  void aRateMustBePositive() {
    assertThatThrownBy(() -> new ScrubPace(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
