package dev.meridian.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PendingPollsTest {
  private static final int KIB = 1024;

  private final PendingPolls pending = new PendingPolls();
  private long nextOffset;

  @Test
  void aPollOfMoreInlineBytesThanTheBoundIsCutAndItsRestComesFirstInTheNextBatch() {
    pending.add(poll(0, 10, 40 * KIB));
    pending.add(poll(1, 1, 10));

    List<LogRecord> first = pending.take(2000, 100 * KIB).records();
    List<LogRecord> second = pending.take(2000, 100 * KIB).records();

    assertThat(first).extracting(LogRecord::offset).containsExactly(0L, 1L);
    assertThat(second).extracting(LogRecord::offset).containsExactly(2L, 3L);
    assertThat(PendingPolls.bytesOf(first)).isLessThanOrEqualTo(100 * KIB);
    assertThat(pending.records()).isEqualTo(7);
  }

  @Test
  void wholePollsGoTogetherWhileTheyFit() {
    pending.add(poll(0, 3, 10));
    pending.add(poll(1, 4, 10));
    pending.add(poll(0, 2, 10));

    assertThat(pending.take(2000, 16 * KIB).records()).hasSize(9);
    assertThat(pending.isEmpty()).isTrue();
    assertThat(pending.bytes()).isZero();
  }

  @Test
  void aRecordLargerThanTheBoundStillGoesAloneSoReplayMovesOn() {
    pending.add(poll(0, 2, 64 * KIB));

    assertThat(pending.take(2000, KIB).records()).hasSize(1);
    assertThat(pending.take(2000, KIB).records()).hasSize(1);
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  void theRecordBoundCutsAPollToo() {
    pending.add(poll(0, 5, 10));

    assertThat(pending.take(3, 16 * KIB).records()).extracting(LogRecord::offset).containsExactly(0L, 1L, 2L);
    assertThat(pending.take(3, 16 * KIB).records()).extracting(LogRecord::offset).containsExactly(3L, 4L);
  }

  @Test
  void aRewindStartsEachPartitionAtItsFirstQueuedRecordIncludingTheRestOfACutPoll() {
    pending.add(poll(0, 4, 40 * KIB));
    pending.add(poll(1, 2, 10));
    pending.take(2000, 100 * KIB); // offsets 0 and 1 of partition 0

    Map<Integer, Long> first = new HashMap<>();
    pending.firstOffsets(first);

    assertThat(first).containsEntry(0, 2L).containsEntry(1, 4L);
  }

  /**
   * Whatever the polls and bounds: batches come in poll order, none is empty, none passes a bound unless one record
   * does, and what was prepared for a record (here for every other poll) comes with it, wherever the cuts fall.
   */
  @Property
  void batchesKeepTheOrderTheBoundsAndWhatWasPrepared(
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 30) Integer> polls,
      @ForAll @IntRange(min = 1, max = 50) int maxRecords, @ForAll @IntRange(min = 1, max = 200) int maxKib) {
    PendingPolls queue = new PendingPolls();
    List<LogRecord> all = new ArrayList<>();
    Map<Long, String> preparedFor = new HashMap<>();
    for (int p = 0; p < polls.size(); p++) {
      int n = polls.get(p);
      List<LogRecord> poll = new ArrayList<>();
      List<String> prepared = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        LogRecord r = record(all.size() % 3, all.size() + i, ((all.size() + i) * 7 % 50) * KIB);
        poll.add(r);
        prepared.add("prepared " + r.offset());
      }
      boolean preparing = p % 2 == 0;
      if (preparing) poll.forEach(r -> preparedFor.put(r.offset(), "prepared " + r.offset()));
      all.addAll(poll);
      queue.add(poll, preparing ? prepared : null);
    }
    List<LogRecord> taken = new ArrayList<>();
    while (!queue.isEmpty()) {
      long before = queue.bytes();
      PendingPolls.Batch next = queue.take(maxRecords, maxKib * (long) KIB);
      List<LogRecord> batch = next.records();
      assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(maxRecords);
      if (batch.size() > 1) assertThat(PendingPolls.bytesOf(batch)).isLessThanOrEqualTo(maxKib * (long) KIB);
      assertThat(queue.bytes()).isEqualTo(before - PendingPolls.bytesOf(batch));
      for (int i = 0; i < batch.size(); i++) {
        assertThat(next.prepared().get(i)).as("prepared for offset %d", batch.get(i).offset())
            .isEqualTo(preparedFor.get(batch.get(i).offset()));
      }
      taken.addAll(batch);
    }
    assertThat(taken).containsExactlyElementsOf(all);
    assertThat(queue.records()).isZero();
  }

  @Test
  void aPollPreparedForOnlyInPartIsRefused() {
    assertThatThrownBy(() -> pending.add(poll(0, 3, 10), List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 entries for 3 records");
  }

  private List<LogRecord> poll(int partition, int count, int inlineBytes) {
    List<LogRecord> poll = new ArrayList<>();
    for (int i = 0; i < count; i++) poll.add(record(partition, nextOffset++, inlineBytes));
    return poll;
  }

  private static LogRecord record(int partition, long offset, int inlineBytes) {
    return new LogRecord("events", partition, offset, Optional.of("repo"), new byte[16],
        Map.of("meridian-manifest", "A".repeat(inlineBytes)), 0);
  }
}
