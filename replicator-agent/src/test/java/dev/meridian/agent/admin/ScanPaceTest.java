package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScanPaceTest {
  private static final long MS = 1_000_000;
  private final ScanPace pace = new ScanPace(0.05, 20 * MS, 10_000 * MS);

  @Test
  void theFirstScanIsAlwaysDue() {
    assertThat(pace.due(Long.MIN_VALUE)).isTrue();
    assertThat(pace.due(0)).isTrue();
  }

  @Test
  void aCostlyScanWaitsNineteenTimesItsCostBeforeTheNextSoItTakesAtMostFivePercentOfACore() {
    pace.scanned(1_000 * MS, 1_200 * MS);
    assertThat(pace.due(1_201 * MS)).isFalse();
    assertThat(pace.due(4_999 * MS)).isFalse();
    assertThat(pace.due(5_000 * MS)).isTrue();
  }

  @Test
  void noScanWaitsLongerThanTheLongestWait() {
    pace.scanned(0, 3_000 * MS);
    assertThat(pace.due(12_999 * MS)).isFalse();
    assertThat(pace.due(13_000 * MS)).isTrue();
  }

  @Test
  void aScanCheaperThanTheFreeTimeIsDueAgainAtOnce() {
    pace.scanned(1_000 * MS, 1_019 * MS);
    assertThat(pace.due(1_019 * MS)).isTrue();
  }

  @Test
  void aCheapScanAfterACostlyOneLiftsTheWait() {
    pace.scanned(0, 500 * MS);
    pace.scanned(10_000 * MS, 10_001 * MS);
    assertThat(pace.due(10_001 * MS)).isTrue();
  }

  @Test
  void theClockMayStartAnywhereIncludingAcrossTheSignBoundary() {
    pace.scanned(Long.MAX_VALUE - 100 * MS, Long.MAX_VALUE - 50 * MS);
    assertThat(pace.due(Long.MAX_VALUE)).isFalse();
    assertThat(pace.due(Long.MIN_VALUE + 900 * MS)).isTrue();
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new ScanPace(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScanPace(1.5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
