package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.state.QueuedNotification;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationQueuesTest {
  @TempDir Path dir;

  private static StateWrite note(String queue, String text) {
    return new StateWrite.AppendNotification(queue, text.getBytes(UTF_8));
  }

  private static List<String> texts(List<QueuedNotification> entries) {
    return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
  }

  @Test
  void notificationsCommitWithTheirBatchAndEachQueueReadsInOrder() {
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      state.apply(StateBatch.of(new StateWrite.PutTag(tag("app", "v1", digest(1), stamp(10, EAST))),
          note("webhook", "a"), note("kafka", "a")));
      state.apply(StateBatch.of(note("webhook", "b")));

      assertThat(texts(state.readNotifications("webhook", 10))).containsExactly("a", "b");
      assertThat(texts(state.readNotifications("kafka", 10))).containsExactly("a");
      assertThat(state.notificationCount("webhook")).isEqualTo(2);
      assertThat(state.notificationCount("kafka")).isEqualTo(1);
      assertThat(state.notificationCount("other")).isZero();
      assertThat(state.findTag(dev.meridian.core.state.StateFixtures.repo("app"), new dev.meridian.core.oci.Tag("v1"))).isPresent();
    }
  }

  @Test
  void deletedEntriesAreGoneAndSequencesKeepGrowingAcrossReopen() {
    long first;
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      state.apply(StateBatch.of(note("webhook", "a"), note("webhook", "b")));
      List<QueuedNotification> entries = state.readNotifications("webhook", 10);
      first = entries.get(0).sequence();
      state.deleteNotification("webhook", entries.get(0).sequence());
      state.deleteNotification("webhook", entries.get(1).sequence());
      state.deleteNotification("webhook", entries.get(1).sequence()); // gone already: nothing happens
      assertThat(state.readNotifications("webhook", 10)).isEmpty();
      assertThat(state.notificationCount("webhook")).isZero();
    }
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      state.apply(StateBatch.of(note("webhook", "c")));
      List<QueuedNotification> entries = state.readNotifications("webhook", 10);
      assertThat(texts(entries)).containsExactly("c");
      assertThat(entries.get(0).sequence()).isGreaterThan(first + 1);
    }
  }

  @Test
  void queuedNotificationsSurviveReopenWithTheirCount() {
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      for (int i = 0; i < 300; i++) state.apply(StateBatch.of(note("webhook", "n" + i)));
    }
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      assertThat(state.notificationCount("webhook")).isEqualTo(300);
      List<QueuedNotification> head = state.readNotifications("webhook", 3);
      assertThat(texts(head)).containsExactly("n0", "n1", "n2");
    }
  }

  @Test
  void aReadAfterASequenceStartsRightAfterItAndStaysInItsQueue() {
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      for (int i = 0; i < 5; i++) state.apply(StateBatch.of(note("webhook", "n" + i), note("kafka", "k" + i)));
      List<QueuedNotification> all = state.readNotifications("webhook", 10);

      assertThat(texts(state.readNotificationsAfter("webhook", 0, 10))).containsExactly("n0", "n1", "n2", "n3", "n4");
      assertThat(texts(state.readNotificationsAfter("webhook", all.get(1).sequence(), 2))).containsExactly("n2", "n3");
      assertThat(state.readNotificationsAfter("webhook", all.get(4).sequence(), 10)).isEmpty();
      assertThat(state.readNotificationsAfter("webhook", Long.MAX_VALUE, 10)).isEmpty();
      assertThatThrownBy(() -> state.readNotificationsAfter("webhook", -1, 10)).isInstanceOf(IllegalArgumentException.class);

      // "kafka" sorts before "webhook": a read past the end of its queue stops there.
      List<QueuedNotification> kafka = state.readNotifications("kafka", 10);
      assertThat(texts(kafka)).containsExactly("k0", "k1", "k2", "k3", "k4");
      assertThat(state.readNotificationsAfter("kafka", kafka.get(4).sequence(), 10)).isEmpty();
    }
  }

  @Test
  void deletingSeveralEntriesAtOnceCountsEachEntryStillThereOnce() {
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      for (int i = 0; i < 4; i++) state.apply(StateBatch.of(note("webhook", "n" + i)));
      List<Long> sequences = state.readNotifications("webhook", 10).stream().map(QueuedNotification::sequence).toList();
      state.deleteNotification("webhook", sequences.get(0));

      // The first is gone already; the second is listed twice.
      state.deleteNotifications("webhook", List.of(sequences.get(0), sequences.get(1), sequences.get(1), sequences.get(2)));

      assertThat(texts(state.readNotifications("webhook", 10))).containsExactly("n3");
      assertThat(state.notificationCount("webhook")).isEqualTo(1);
    }
  }

  @Test
  void aQueueNameThatCouldBreakTheKeyIsRefused() {
    assertThatThrownBy(() -> note("web\0hook", "a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> note("", "a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StateWrite.AppendNotification("webhook", new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
