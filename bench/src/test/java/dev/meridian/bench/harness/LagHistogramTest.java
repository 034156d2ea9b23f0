package dev.meridian.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LagHistogramTest {
  private static final String BEFORE = """
      # TYPE meridian_replication_lag_seconds histogram
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.001048576"} 0
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.005592405"} 10
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.006990506"} 20
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.008388607"} 30
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="+Inf"} 30
      meridian_replication_lag_seconds_bucket{origin="southeastasia",region="westeurope",le="0.005592405"} 500
      meridian_replication_lag_seconds_bucket{origin="southeastasia",region="westeurope",le="+Inf"} 500
      meridian_replication_lag_seconds_count{origin="eastus",region="westeurope"} 30
      """;
  private static final String AFTER = """
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.001048576",} 0.0
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.005592405",} 10.0
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.006990506",} 70.0
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="0.008388607",} 128.0
      meridian_replication_lag_seconds_bucket{origin="eastus",region="westeurope",le="+Inf",} 130.0
      """;

  @Test
  void aScrapeKeepsOnlyTheOriginsBucketsInEitherLabelStyle() {
    assertThat(LagHistogram.parse(BEFORE, "eastus").buckets())
        .containsExactlyInAnyOrderEntriesOf(Map.of(0.001048576, 0L, 0.005592405, 10L, 0.006990506, 20L, 0.008388607, 30L,
            Double.POSITIVE_INFINITY, 30L));
    assertThat(LagHistogram.parse(AFTER, "eastus").count()).isEqualTo(130);
  }

  @Test
  void aWindowIsTheDifferenceOfTwoScrapes() {
    LagHistogram window = LagHistogram.parse(AFTER, "eastus").minus(LagHistogram.parse(BEFORE, "eastus"));
    assertThat(window.count()).isEqualTo(100);
    // 0 in the first two buckets, 50 up to 6.99 ms, 48 more up to 8.39 ms, 2 beyond.
    assertThat(window.buckets()).containsEntry(0.006990506, 50L).containsEntry(0.008388607, 98L);
  }

  @Test
  void percentilesInterpolateWithinTheirBucket() {
    LagHistogram window = LagHistogram.parse(AFTER, "eastus").minus(LagHistogram.parse(BEFORE, "eastus"));
    // The 50th of 100 is the last of the 50 in (5.59, 6.99]: its upper bound.
    assertThat(window.percentileMillis(50)).isCloseTo(6.990506, within(1e-6));
    // The 74th is the 24th of 48 in (6.99, 8.39]: half way.
    assertThat(window.percentileMillis(74)).isCloseTo(6.990506 + 0.5 * (8.388607 - 6.990506), within(1e-6));
    // The 99th is beyond the last finite bound: that bound is all that is known.
    assertThat(window.percentileMillis(99)).isCloseTo(8.388607, within(1e-6));
  }

  @Test
  void theMaximumIsTheBoundOfTheHighestBucketThatCounts() {
    LagHistogram window = LagHistogram.parse(AFTER, "eastus").minus(LagHistogram.parse(BEFORE, "eastus"));
    assertThat(window.maxMillis()).isCloseTo(8.388607, within(1e-6));
    LagHistogram fast = new LagHistogram(Map.of(0.005592405, 4L, 0.006990506, 4L, Double.POSITIVE_INFINITY, 4L));
    assertThat(fast.maxMillis()).isCloseTo(5.592405, within(1e-6));
  }

  @Test
  void twoRegionsWindowsAddUp() {
    LagHistogram a = new LagHistogram(Map.of(0.005, 1L, 0.01, 3L, Double.POSITIVE_INFINITY, 3L));
    LagHistogram b = new LagHistogram(Map.of(0.005, 0L, 0.01, 1L, Double.POSITIVE_INFINITY, 1L));
    assertThat(a.plus(b).count()).isEqualTo(4);
    assertThat(a.plus(b).percentileMillis(25)).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void anEmptyWindowHasNoLagAndCountsThatFallAreRefused() {
    assertThat(new LagHistogram(Map.of()).percentileMillis(50)).isZero();
    assertThatThrownBy(() -> new LagHistogram(Map.of(0.005, 3L, Double.POSITIVE_INFINITY, 2L)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
