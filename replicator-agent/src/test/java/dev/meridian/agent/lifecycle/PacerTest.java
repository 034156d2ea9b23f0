package dev.meridian.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class PacerTest {
  /** A clock that steps only when told to, and a sleeper that records its rests and moves the clock past them. */
  private static final class FakeTime implements Pacer.Clock, Pacer.Sleeper {
    long now = 1_000;
    final List<Long> rests = new ArrayList<>();

    @Override
    public long nanos() {
      return now;
    }

    @Override
    public void sleep(long nanos) {
      rests.add(nanos);
      now += nanos;
    }
  }

  private static final long MS = 1_000_000;

  @Test
  void aPassWorkingAQuarterOfTheTimeRestsThreeTimesEachSliceOfWork() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(0.25, Duration.ofMillis(10), time, time);

    for (int step = 0; step < 100; step++) {
      time.now += MS; // each step works a millisecond
      pacer.step();
    }

    assertThat(time.rests).hasSize(10).allSatisfy(rest -> assertThat(rest).isEqualTo(30 * MS));
    assertThat(pacer.workNanos()).isEqualTo(100 * MS);
    assertThat(time.now - 1_000).isEqualTo(400 * MS);
  }

  @Test
  void aSliceLongerThanPlannedRestsInProportionToTheWorkItDid() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(0.5, Duration.ofMillis(10), time, time);

    time.now += 3 * MS;
    pacer.step();
    time.now += 25 * MS; // a step that took long (a slow read, or the thread waited for a core)
    pacer.step();

    assertThat(time.rests).containsExactly(28 * MS);
    assertThat(pacer.workNanos()).isEqualTo(28 * MS);
  }

  @Test
  void aPassAtAFullShareNeverRestsButCountsItsWork() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(1, Duration.ofMillis(10), time, time);

    for (int step = 0; step < 50; step++) {
      time.now += MS;
      pacer.step();
    }

    assertThat(time.rests).isEmpty();
    assertThat(pacer.workNanos()).isEqualTo(50 * MS);
  }

  @Test
  void anInterruptWhileRestingCancelsThePassAndKeepsTheInterrupt() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(0.5, Duration.ofMillis(10), time, nanos -> {
      throw new InterruptedException();
    });
    time.now += 10 * MS;

    try {
      assertThatThrownBy(pacer::step).isInstanceOf(CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aShareOutsideZeroToOneOrANonPositiveSliceIsRefused() {
    FakeTime time = new FakeTime();
    assertThatThrownBy(() -> new Pacer(0, Duration.ofMillis(10), time, time)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pacer(1.5, Duration.ofMillis(10), time, time)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pacer(Double.NaN, Duration.ofMillis(10), time, time))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pacer(0.5, Duration.ZERO, time, time)).isInstanceOf(IllegalArgumentException.class);
  }
}
