package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StallDetectorTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final StallDetector detector = new StallDetector(Duration.ofSeconds(30));

  @Test
  void pendingWorkWithoutProgressForTheThresholdIsAStall() {
    assertThat(detector.observe(5, true, T0)).isEmpty();
    assertThat(detector.observe(5, true, T0.plusSeconds(29))).isEmpty();
    assertThat(detector.observe(5, true, T0.plusSeconds(30))).hasValueSatisfying(r -> assertThat(r).contains("30 s"));
  }

  @Test
  void progressRestartsTheStallClock() {
    detector.observe(5, true, T0);
    assertThat(detector.observe(6, true, T0.plusSeconds(25))).isEmpty();
    assertThat(detector.observe(6, true, T0.plusSeconds(50))).isEmpty();
    assertThat(detector.observe(6, true, T0.plusSeconds(55))).isPresent();
  }

  @Test
  void anIdleRegionIsNeverStalledAndTheClockStartsWhenWorkAppears() {
    assertThat(detector.observe(5, false, T0)).isEmpty();
    assertThat(detector.observe(5, false, T0.plusSeconds(3600))).isEmpty();
    assertThat(detector.observe(5, true, T0.plusSeconds(3601))).isEmpty();
    assertThat(detector.observe(5, true, T0.plusSeconds(3620))).isEmpty();
    assertThat(detector.observe(5, true, T0.plusSeconds(3631))).isPresent();
  }

  @Test
  void aStallEndsOnProgressOrWhenTheWorkIsGone() {
    detector.observe(5, true, T0);
    assertThat(detector.observe(5, true, T0.plusSeconds(40))).isPresent();
    assertThat(detector.observe(5, false, T0.plusSeconds(41))).isEmpty();
    detector.observe(5, true, T0.plusSeconds(42));
    assertThat(detector.observe(5, true, T0.plusSeconds(80))).isPresent();
    assertThat(detector.observe(7, true, T0.plusSeconds(81))).isEmpty();
  }

  @Test
  void thresholdMustBePositive() {
    assertThatThrownBy(() -> new StallDetector(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
