package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ranges of blobs over 2 GiB and 4 GiB: offsets and lengths are longs from the header to the reply. */
class LargeByteRangesTest {
  private static final long FIVE_GIB = 5L << 30;

  @Test
  void openRangeStartingPastFourGibibytesEndsAtTheLastByte() {
    var range = ByteRanges.parseRange("bytes=4294967296-", FIVE_GIB).orElseThrow();

    assertThat(range.first()).isEqualTo(1L << 32);
    assertThat(range.last()).isEqualTo(FIVE_GIB - 1);
    assertThat(range.length()).isEqualTo(1L << 30);
  }

  @Test
  void suffixRangeLongerThanTheIntRangeCountsFromTheEnd() {
    var range = ByteRanges.parseRange("bytes=-3000000000", FIVE_GIB).orElseThrow();

    assertThat(range.first()).isEqualTo(FIVE_GIB - 3_000_000_000L);
    assertThat(range.length()).isEqualTo(3_000_000_000L);
  }

  @Test
  void wholeBlobAsOneRangeHasALengthBeyondTheIntRange() {
    var range = ByteRanges.parseRange("bytes=0-", FIVE_GIB).orElseThrow();

    assertThat(range.length()).isEqualTo(FIVE_GIB);
  }

  @Test
  void uploadChunkAnnouncedPastTwoGibibytesKeepsItsOffsets() {
    var chunk = ByteRanges.parseContentRange("2147483648-5368709119");

    assertThat(chunk.first()).isEqualTo(1L << 31);
    assertThat(chunk.length()).isEqualTo(FIVE_GIB - (1L << 31));
  }
}
