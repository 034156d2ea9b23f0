package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void percentileIsNearestRankAndAlwaysAMeasuredValue() {
    var values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 100.0, 6.0, 7.0, 8.0, 9.0);
    assertThat(Stats.percentile(values, 50)).isEqualTo(5.0);
    assertThat(Stats.percentile(values, 99)).isEqualTo(100.0);
    assertThat(Stats.percentile(values, 90)).isEqualTo(9.0);
  }

  @Test
  void ratioTargetComparesMeridianOverBaseline() {
    var faster = new Result("s", "m", "MB/s", 130, Optional.of(100.0), "b", Target.ratioAtLeast(1.2), 3);
    var slower = new Result("s", "m", "MB/s", 110, Optional.of(100.0), "b", Target.ratioAtLeast(1.2), 3);
    assertThat(faster.ratio().orElseThrow()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(faster.passed()).isTrue();
    assertThat(slower.passed()).isFalse();
  }

  @Test
  void upperBoundTargetFailsAboveTheBound() {
    assertThat(Result.alone("lag", "p50", "ms", 51, Target.atMost(50), 1).passed()).isFalse();
    assertThat(Result.alone("lag", "p50", "ms", 49, Target.atMost(50), 1).passed()).isTrue();
  }
}
