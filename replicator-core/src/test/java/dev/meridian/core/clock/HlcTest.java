package dev.meridian.core.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class HlcTest {
  private static final long NOW = 1_732_700_000_000L;
  private static final long HOUR = 3_600_000L;

  /** One step of a region's life: its wall clock moves, then it writes, or it receives a timestamp and writes. */
  record Step(int clockMove, boolean receives, HlcTimestamp remote) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<HlcTimestamp> remotes = Combinators.combine(
            Arbitraries.longs().between(NOW - 10_000, NOW + 10_000), Arbitraries.integers().between(0, 5))
        .as(HlcTimestamp::new);
    return Combinators.combine(Arbitraries.integers().between(-5_000, 5_000), Arbitraries.of(true, false), remotes)
        .as(Step::new)
        .list().ofMinSize(1).ofMaxSize(50);
  }

  @Property
  void tickIsStrictlyIncreasingEvenWhenTheWallClockGoesBackwards(
      @ForAll @Size(min = 1, max = 100) List<@IntRange(min = -5_000, max = 5_000) Integer> clockMoves) {
    MutableClock wall = new MutableClock(NOW);
    Hlc hlc = new Hlc(wall);
    HlcTimestamp previous = hlc.tick();
    for (int move : clockMoves) {
      wall.advance(move);
      HlcTimestamp next = hlc.tick();
      assertThat(next).isGreaterThan(previous);
      assertThat(next.physicalMillis()).isGreaterThanOrEqualTo(wall.millis());
      previous = next;
    }
  }

  @Property
  void observeReturnsMoreThanTheRemoteAndThanEveryEarlierReading(@ForAll("steps") List<Step> steps) {
    MutableClock wall = new MutableClock(NOW);
    Hlc hlc = new Hlc(wall);
    HlcTimestamp latest = HlcTimestamp.ZERO;
    for (Step step : steps) {
      wall.advance(step.clockMove());
      HlcTimestamp reading = step.receives() ? hlc.observe(step.remote()) : hlc.tick();
      assertThat(reading).isGreaterThan(latest);
      if (step.receives()) assertThat(reading).isGreaterThan(step.remote());
      assertThat(hlc.current()).isEqualTo(reading);
      latest = reading;
    }
  }

  @Property
  void aWriteAfterObservingAnotherRegionsWriteIsOrderedAfterItWhateverTheSkew(
      @ForAll @Size(min = 2, max = 3) List<@IntRange(min = -1, max = 1) Integer> skewHours,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 2) Integer> writers,
      @ForAll @Size(min = 30, max = 30) List<@IntRange(min = -2_000, max = 2_000) Integer> clockMoves) {
    List<MutableClock> walls = new ArrayList<>();
    List<Hlc> regions = new ArrayList<>();
    for (int skew : skewHours) {
      MutableClock wall = new MutableClock(NOW + skew * HOUR);
      walls.add(wall);
      regions.add(new Hlc(wall));
    }
    // A causal chain: each write is made by a region that has seen the one before it.
    HlcTimestamp previous = regions.get(0).tick();
    for (int i = 0; i < writers.size(); i++) {
      int writer = writers.get(i) % regions.size();
      walls.get(writer).advance(clockMoves.get(i));
      regions.get(writer).observe(previous);
      HlcTimestamp write = regions.get(writer).tick();
      assertThat(write).isGreaterThan(previous);
      previous = write;
    }
  }

  @Example
  void ticksWithinOneMillisecondCountUpTheLogicalPart() {
    Hlc hlc = new Hlc(new MutableClock(NOW));
    assertThat(List.of(hlc.tick(), hlc.tick(), hlc.tick()))
        .containsExactly(new HlcTimestamp(NOW, 0), new HlcTimestamp(NOW, 1), new HlcTimestamp(NOW, 2));
  }

  @Example
  void aTickFollowsTheWallClockOnceItMovesAhead() {
    MutableClock wall = new MutableClock(NOW);
    Hlc hlc = new Hlc(wall);
    hlc.tick();
    hlc.tick();
    wall.advance(5);
    assertThat(hlc.tick()).isEqualTo(new HlcTimestamp(NOW + 5, 0));
  }

  @Example
  void observingATimestampFromAClockAheadCarriesItsPhysicalTimeForward() {
    MutableClock wall = new MutableClock(NOW);
    Hlc hlc = new Hlc(wall);
    assertThat(hlc.observe(new HlcTimestamp(NOW + HOUR, 3))).isEqualTo(new HlcTimestamp(NOW + HOUR, 4));
    assertThat(hlc.tick()).isEqualTo(new HlcTimestamp(NOW + HOUR, 5));
    wall.advance(HOUR + 1);
    assertThat(hlc.tick()).isEqualTo(new HlcTimestamp(NOW + HOUR + 1, 0));
  }

  @Example
  void observingAnOlderTimestampStillAdvancesTheClock() {
    Hlc hlc = new Hlc(new MutableClock(NOW));
    HlcTimestamp before = hlc.tick();
    assertThat(hlc.observe(new HlcTimestamp(NOW - HOUR, 9))).isEqualTo(new HlcTimestamp(NOW, before.logical() + 1));
  }
}
