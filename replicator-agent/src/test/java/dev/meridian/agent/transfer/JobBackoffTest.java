package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JobBackoffTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private final AtomicReference<Double> random = new AtomicReference<>(0.5); // 0.5: no jitter
  private final JobBackoff<String> backoff =
      new JobBackoff<>(Duration.ofSeconds(1), Duration.ofSeconds(60), random::get);

  @Test
  void aJobThatNeverFailedIsDueAtOnceAsItsFirstAttempt() {
    assertThat(backoff.isDue("a", T0)).isTrue();
    assertThat(backoff.attempt("a")).isEqualTo(1);
  }

  @Test
  void theBackoffDoublesWithEachFailureInARow() {
    assertThat(backoff.recordFailure("a", T0)).isEqualTo(T0.plusSeconds(1));
    assertThat(backoff.recordFailure("a", T0)).isEqualTo(T0.plusSeconds(2));
    assertThat(backoff.recordFailure("a", T0)).isEqualTo(T0.plusSeconds(4));
    assertThat(backoff.attempt("a")).isEqualTo(4);
  }

  @Test
  void aFailedJobIsNotDueBeforeItsPauseEndsAndDueFromThen() {
    Instant next = backoff.recordFailure("a", T0);
    assertThat(backoff.isDue("a", next.minusMillis(1))).isFalse();
    assertThat(backoff.isDue("a", next)).isTrue();
  }

  @Test
  void thePauseNeverExceedsTheMaximumWhateverTheFailureCount() {
    random.set(0.999);
    Instant next = T0;
    for (int i = 0; i < 200; i++) next = backoff.recordFailure("a", T0);
    assertThat(Duration.between(T0, next)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterSpreadsThePauseByHalfEitherWay() {
    random.set(0.0);
    assertThat(backoff.pause(3)).isEqualTo(Duration.ofSeconds(2));
    random.set(0.75);
    assertThat(backoff.pause(3)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void successForgetsTheFailuresSoTheNextFailureStartsSmallAgain() {
    backoff.recordFailure("a", T0);
    backoff.recordFailure("a", T0);
    backoff.forget("a");
    assertThat(backoff.isDue("a", T0)).isTrue();
    assertThat(backoff.attempt("a")).isEqualTo(1);
    assertThat(backoff.recordFailure("a", T0)).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void jobsBackOffIndependently() {
    backoff.recordFailure("a", T0);
    backoff.recordFailure("a", T0);
    assertThat(backoff.isDue("b", T0)).isTrue();
    assertThat(backoff.recordFailure("b", T0)).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aMaximumBelowTheInitialPauseIsRefused() {
    assertThatThrownBy(() -> new JobBackoff<String>(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deferringAJobNobodyCouldServeWaitsWithoutGrowingItsBackoff() {
    JobBackoff<String> backoff = new JobBackoff<>(Duration.ofSeconds(5), Duration.ofMinutes(5), () -> 0.5);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    backoff.recordFailure("job", now);
    for (int i = 0; i < 5; i++) backoff.defer("job", now.plusSeconds(30));
    assertThat(backoff.isDue("job", now.plusSeconds(29))).isFalse();
    assertThat(backoff.isDue("job", now.plusSeconds(30))).isTrue();
    assertThat(backoff.attempt("job")).isEqualTo(2); // one real failure; the deferrals did not count
    assertThat(backoff.recordFailure("job", now).minusSeconds(10)).isEqualTo(now); // second failure: 10 s, not 5 min
  }
}
