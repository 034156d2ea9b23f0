package dev.meridian.agent.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.state.NotificationQueues;
import dev.meridian.core.state.QueuedNotification;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery loop over a real queue: failures are retried, nothing is skipped, an entry goes only once delivered. */
class NotificationDispatcherTest {
  @TempDir Path dir;

  /** Fails while {@code failing} is above zero (counting down per attempt), else takes the first {@code take} entries. */
  private static final class FlakySink implements NotificationSink {
    final AtomicInteger failing = new AtomicInteger();
    final List<String> received = new CopyOnWriteArrayList<>();
    final int take;

    FlakySink() {
      this(1);
    }

    FlakySink(int take) {
      this.take = take;
    }

    @Override
    public int batchSize() {
      return 4;
    }

    @Override
    public int deliver(List<QueuedNotification> head) {
      if (failing.getAndDecrement() > 0) throw new NotificationDeliveryException("receiver answered 503");
      int count = Math.min(take, head.size());
      for (int i = 0; i < count; i++) received.add(new String(head.get(i).payload(), UTF_8));
      return count;
    }
  }

  @Test
  void everyEntryIsDeliveredInOrderOnceAfterFailuresAndLeavesTheQueue() {
    FlakySink sink = new FlakySink();
    sink.failing.set(3);
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      for (int i = 0; i < 10; i++) state.apply(StateBatch.of(new StateWrite.AppendNotification("webhook", ("n" + i).getBytes(UTF_8))));
      NotificationDispatcher dispatcher = new NotificationDispatcher(state, "webhook", "http://127.0.0.1:1/hook", sink,
          new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40)), NotificationListener.NONE, Clock.systemUTC()).start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> state.notificationCount("webhook") == 0);
        assertThat(sink.received).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9");
        NotificationStatus status = dispatcher.status();
        assertThat(status.failedAttempts()).isEqualTo(3);
        assertThat(status.delivered()).isEqualTo(10);
        assertThat(status.queued()).isZero();
        assertThat(status.lastError()).isEmpty();

        state.apply(StateBatch.of(new StateWrite.AppendNotification("webhook", "late".getBytes(UTF_8))));
        dispatcher.wake();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sink.received).endsWith("late"));
      } finally {
        dispatcher.close();
      }
    }
  }

  /** The store, recording where each read started. */
  private record RecordingQueues(NotificationQueues store, List<Long> readsAfter) implements NotificationQueues {
    @Override
    public List<QueuedNotification> readNotificationsAfter(String queue, long sequence, int limit) {
      readsAfter.add(sequence);
      return store.readNotificationsAfter(queue, sequence, limit);
    }

    @Override
    public void deleteNotification(String queue, long sequence) {
      store.deleteNotification(queue, sequence);
    }

    @Override
    public void deleteNotifications(String queue, List<Long> sequences) {
      store.deleteNotifications(queue, sequences);
    }

    @Override
    public long notificationCount(String queue) {
      return store.notificationCount(queue);
    }
  }

  /** Queues n0 to n5 on {@code webhook}; returns their sequences. */
  private static List<Long> queueSix(RocksDbRegistryState state) {
    for (int i = 0; i < 6; i++) state.apply(StateBatch.of(new StateWrite.AppendNotification("webhook", ("n" + i).getBytes(UTF_8))));
    return state.readNotifications("webhook", 10).stream().map(QueuedNotification::sequence).toList();
  }

  private static NotificationDispatcher startRecorded(RecordingQueues queues, FlakySink sink) {
    return new NotificationDispatcher(queues, "webhook", "http://127.0.0.1:1/hook", sink,
        new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)), NotificationListener.NONE, Clock.systemUTC()).start();
  }

  @Test
  void eachReadStartsAfterTheLastEntryDeliveredNotAtTheQueuesDeletedHead() {
    FlakySink sink = new FlakySink();
    sink.failing.set(2);
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      List<Long> sequences = queueSix(state);
      var queues = new RecordingQueues(state, new CopyOnWriteArrayList<>());
      NotificationDispatcher dispatcher = startRecorded(queues, sink);
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> state.notificationCount("webhook") == 0);
        assertThat(sink.received).containsExactly("n0", "n1", "n2", "n3", "n4", "n5");
        // Two failed attempts and the first delivery read from the oldest; every later read right after the entry
        // delivered before it, the last one after the last entry.
        await().atMost(Duration.ofSeconds(20)).until(() -> queues.readsAfter().size() >= 9);
        assertThat(queues.readsAfter().subList(0, 9))
            .containsExactly(0L, 0L, 0L, sequences.get(0), sequences.get(1), sequences.get(2), sequences.get(3),
                sequences.get(4), sequences.get(5));
      } finally {
        dispatcher.close();
      }
    }
  }

  @Test
  void aDeliveryOfPartOfTheHeadReadsOnAfterItsLastEntry() {
    FlakySink sink = new FlakySink(2); // takes two of the four it is offered
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      List<Long> sequences = queueSix(state);
      var queues = new RecordingQueues(state, new CopyOnWriteArrayList<>());
      NotificationDispatcher dispatcher = startRecorded(queues, sink);
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> queues.readsAfter().size() >= 4);
        assertThat(sink.received).containsExactly("n0", "n1", "n2", "n3", "n4", "n5");
        assertThat(queues.readsAfter().subList(0, 4)).containsExactly(0L, sequences.get(1), sequences.get(3), sequences.get(5));
        assertThat(state.notificationCount("webhook")).isZero();
      } finally {
        dispatcher.close();
      }
    }
  }

  @Test
  void whileTheReceiverFailsTheEntryStaysAndTheStatusSaysWhy() {
    FlakySink sink = new FlakySink();
    sink.failing.set(Integer.MAX_VALUE);
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      state.apply(StateBatch.of(new StateWrite.AppendNotification("webhook", "n0".getBytes(UTF_8))));
      NotificationDispatcher dispatcher = new NotificationDispatcher(state, "webhook", "http://127.0.0.1:1/hook", sink,
          new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(20)), NotificationListener.NONE, Clock.systemUTC()).start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.status().failedAttempts() >= 3);
        assertThat(dispatcher.status().lastError()).contains("receiver answered 503");
        assertThat(dispatcher.status().nextAttempt()).isPresent();
        assertThat(state.notificationCount("webhook")).isEqualTo(1);
        assertThat(sink.received).isEmpty();
      } finally {
        dispatcher.close();
      }
    }
  }
}
