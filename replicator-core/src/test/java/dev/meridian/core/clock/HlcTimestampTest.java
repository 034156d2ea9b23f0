package dev.meridian.core.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HlcTimestampTest {

  @Property
  void toStringParsesBackToTheSameTimestamp(@ForAll("timestamps") HlcTimestamp timestamp) {
    assertThat(HlcTimestamp.parse(timestamp.toString())).isEqualTo(timestamp);
    assertThat(timestamp.toString()).isEqualTo(timestamp.physicalMillis() + "." + timestamp.logical());
  }

  @Property
  void physicalTimeOrdersFirstThenTheLogicalCounter(
      @ForAll("timestamps") HlcTimestamp a, @ForAll("timestamps") HlcTimestamp b) {
    int expected = a.physicalMillis() != b.physicalMillis()
        ? Long.compare(a.physicalMillis(), b.physicalMillis())
        : Integer.compare(a.logical(), b.logical());
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
    assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-Integer.signum(expected));
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
  }

  @Property
  void sortingAgreesWithAPairwiseComparator(@ForAll("timestampLists") List<HlcTimestamp> timestamps) {
    var sorted = new ArrayList<>(timestamps);
    sorted.sort(null);
    var expected = new ArrayList<>(timestamps);
    expected.sort(Comparator.comparingLong(HlcTimestamp::physicalMillis).thenComparingInt(HlcTimestamp::logical));
    assertThat(sorted).isEqualTo(expected);
  }

  @Property
  void aLaterMillisecondOutranksAnyLogicalCounter(
      @ForAll("timestamps") HlcTimestamp a, @ForAll("logicals") int anyLogical) {
    Assume.that(a.physicalMillis() < Long.MAX_VALUE);
    var later = new HlcTimestamp(a.physicalMillis() + 1, 0);
    assertThat(later).isGreaterThan(new HlcTimestamp(a.physicalMillis(), anyLogical));
  }

  @Example
  void textWithoutALogicalPartMeansCounterZero() {
    assertThat(HlcTimestamp.parse("1732700000000")).isEqualTo(new HlcTimestamp(1732700000000L, 0));
    assertThat(HlcTimestamp.parse("1732700000000.3")).isEqualTo(new HlcTimestamp(1732700000000L, 3));
    assertThat(HlcTimestamp.ZERO).hasToString("0.0");
  }

  @Example
  void negativeOrMalformedTimestampsAreRefused() {
    assertThatThrownBy(() -> new HlcTimestamp(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HlcTimestamp(0, -1)).isInstanceOf(IllegalArgumentException.class);
    for (String text : List.of("", ".", "-5.0", "5.-1", "1.2.3", "x", "1.x", "1e3", "99999999999999999999.0")) {
      assertThatThrownBy(() -> HlcTimestamp.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Provide
  Arbitrary<HlcTimestamp> timestamps() {
    // Small ranges as well as wide ones, so that equal physical times (where the counter decides) are common.
    Arbitrary<Long> physical = Arbitraries.oneOf(Arbitraries.longs().between(0, 3), Arbitraries.longs().greaterOrEqual(0));
    return Combinators.combine(physical, logicals()).as(HlcTimestamp::new);
  }

  @Provide
  Arbitrary<Integer> logicals() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 3), Arbitraries.integers().greaterOrEqual(0));
  }

  @Provide
  Arbitrary<List<HlcTimestamp>> timestampLists() {
    return timestamps().list().ofMaxSize(30);
  }
}
