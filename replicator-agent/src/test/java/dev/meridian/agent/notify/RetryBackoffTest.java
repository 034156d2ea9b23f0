package dev.meridian.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @Test
  void theCeilingDoublesPerFailureUntilTheMaximum() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofSeconds(256));
    assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void eachWaitIsBetweenHalfAndAllOfTheCeiling() {
    assertThat(backoff.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(3));
    assertThat(backoff.delay(3, () -> 0.999_999)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(50, () -> 0.999_999)).isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void nonsensicalSettingsAreRefused() {
    assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backoff.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backoff.delay(1, () -> 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
