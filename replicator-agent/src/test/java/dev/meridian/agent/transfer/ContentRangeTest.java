package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.transfer.HttpPeerClient.ContentRange;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ContentRangeTest {
  @Test
  void aCompleteRangeGivesItsOffsetsAndTotal() {
    assertThat(ContentRange.parse("bytes 100-199/200")).contains(new ContentRange(100, 199, OptionalLong.of(200)));
  }

  @Test
  void anUnknownTotalIsEmpty() {
    assertThat(ContentRange.parse("bytes 0-9/*")).contains(new ContentRange(0, 9, OptionalLong.empty()));
  }

  @Test
  void malformedOrImpossibleRangesAreRefused() {
    assertThat(ContentRange.parse("")).isEmpty();
    assertThat(ContentRange.parse("bytes */200")).isEmpty();
    assertThat(ContentRange.parse("bytes 10-5/200")).isEmpty();
    assertThat(ContentRange.parse("bytes 0-200/200")).isEmpty();
    assertThat(ContentRange.parse("items 0-1/2")).isEmpty();
    assertThat(ContentRange.parse("bytes 0-99999999999999999999/*")).isEmpty();
  }

  @Test
  void rangesOfBlobsBeyondFourGibibytesKeepTheirOffsets() {
    long size = 5L << 30;
    assertThat(ContentRange.parse("bytes 4294967296-" + (size - 1) + "/" + size))
        .contains(new ContentRange(1L << 32, size - 1, OptionalLong.of(size)));
  }
}
