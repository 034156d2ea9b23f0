package dev.meridian.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.embedded.EmbeddedKafkaBroker;
import dev.meridian.agent.embedded.FreePorts;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventDecodeException;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka adapter against one real broker; each test writes its own topics. */
class KafkaEventLogIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger TOPICS = new AtomicInteger();

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;
  static KafkaTopics topics;

  private final EventCodec codec = new EventCodec();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.start(FreePorts.brokerSettings(dataDir));
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() {
    topics.close();
    broker.close();
  }

  @Test
  void aThousandEventsArriveCompleteAndInOrderPerRepository() throws Exception {
    String topic = newTopic(4);
    List<ReplicationEvent> published = new ArrayList<>();
    try (var publisher = publisher(topic)) {
      var sends = new ArrayList<CompletableFuture<LogPosition>>();
      for (int i = 0; i < 1_000; i++) {
        var event = tagPut(i, "repo-" + (i % 13));
        published.add(event);
        sends.add(publisher.send(event));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    List<LogRecord> received = readAll(topic, Map.of(), 1_000);

    assertThat(received).hasSize(1_000);
    Map<String, List<ReplicationEvent>> sentByRepo = published.stream()
        .collect(Collectors.groupingBy(e -> e.repository().value(), Collectors.toList()));
    Map<String, List<ReplicationEvent>> receivedByRepo = received.stream()
        .collect(Collectors.groupingBy(r -> r.key().orElseThrow(), Collectors.mapping(
            r -> codec.decode(r.value()), Collectors.toList())));
    assertThat(receivedByRepo).isEqualTo(sentByRepo); // same events, same order within each repository
    assertThat(received.stream().collect(Collectors.groupingBy(r -> r.key().orElseThrow(),
        Collectors.mapping(LogRecord::partition, Collectors.toSet()))))
        .allSatisfy((repo, partitions) -> assertThat(partitions).hasSize(1));
  }

  @Test
  void aSubscriberStartedAtStoredPositionsResumesExactlyThere() throws Exception {
    String topic = newTopic(3);
    publishTagPuts(topic, 90, 9);
    List<LogRecord> everything = readAll(topic, Map.of(), 90);
    // As replay would store them: the next offset to read, here half way through partitions 0 and 1.
    Map<Integer, Long> stored = new HashMap<>();
    for (int p : List.of(0, 1)) {
      long count = everything.stream().filter(r -> r.partition() == p).count();
      stored.put(p, count / 2);
    }
    List<LogPosition> expected = everything.stream()
        .filter(r -> r.offset() >= stored.getOrDefault(r.partition(), 0L))
        .map(LogRecord::position)
        .sorted(java.util.Comparator.comparing(LogPosition::partition).thenComparing(LogPosition::offset))
        .toList();

    List<LogRecord> resumed = readAll(topic, stored, expected.size());

    assertThat(resumed.stream().map(LogRecord::position)
        .sorted(java.util.Comparator.comparing(LogPosition::partition).thenComparing(LogPosition::offset)))
        .containsExactlyElementsOf(expected); // nothing before the stored positions, nothing missed after
  }

  @Test
  void aSubscriberWithAStoredPositionForEveryPartitionReadsOnlyWhatComesAfterThem() throws Exception {
    String topic = newTopic(2);
    publishTagPuts(topic, 10, 4);
    Map<Integer, Long> ends = new HashMap<>(Map.of(0, 0L, 1, 0L)); // every partition, as a caught-up region stores
    readAll(topic, Map.of(), 10).forEach(r -> ends.merge(r.partition(), r.offset() + 1, Math::max));

    var received = new CopyOnWriteArrayList<LogRecord>();
    try (var publisher = publisher(topic);
        var subscriber = KafkaEventSubscriber.start(settings(topic), ends, received::addAll)) {
      publisher.send(tagPut(10, "repo-0")).get(60, TimeUnit.SECONDS);
      await().atMost(TIMEOUT).until(() -> received.stream().anyMatch(r -> codec.decode(r.value()).id().equals("evt-10")));
    }

    assertThat(received).extracting(r -> codec.decode(r.value()).id()).containsExactly("evt-10");
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicWithItsReasonAndReplayGoesOn() throws Exception {
    String topic = newTopic(1);
    String deadLetters = topic + ".dlq";
    topics.ensure(deadLetters, 1, (short) 1, TIMEOUT);
    byte[] poison = "{\"schema\":1,\"type\":\"tag.rename\"}".getBytes(StandardCharsets.UTF_8);
    try (var publisher = publisher(topic); var raw = rawProducer()) {
      publisher.send(tagPut(1, "app")).get(30, TimeUnit.SECONDS);
      raw.send(new ProducerRecord<>(topic, "app", poison)).get(30, TimeUnit.SECONDS);
      publisher.send(tagPut(2, "app")).get(30, TimeUnit.SECONDS);
    }

    var applied = new CopyOnWriteArrayList<ReplicationEvent>();
    try (var dlq = new DeadLetterPublisher(broker.bootstrapServers(), deadLetters, Duration.ofSeconds(10));
        var replay = KafkaEventSubscriber.start(settings(topic), Map.of(), batch -> {
          for (LogRecord r : batch) {
            try {
              applied.add(codec.decode(r.value()));
            } catch (EventDecodeException e) {
              dlq.send(r, e.getMessage()).join();
            }
          }
        })) {
      await().atMost(TIMEOUT).until(() -> applied.size() == 2);
      assertThat(replay.isRunning()).isTrue();
    }
    List<LogRecord> dead = readAll(deadLetters, Map.of(), 1);

    assertThat(applied).extracting(ReplicationEvent::id).containsExactly("evt-1", "evt-2");
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.value()).isEqualTo(poison);
      assertThat(r.key()).contains("app");
      assertThat(r.headers().get(DeadLetterPublisher.REASON_HEADER)).contains("UNKNOWN_TYPE").contains("tag.rename");
      assertThat(r.headers().get(DeadLetterPublisher.SOURCE_HEADER)).isEqualTo(topic + "/0@1");
    });
  }

  @Test
  void aBatchWhoseHandlerFailsIsDeliveredAgainWithNothingSkipped() throws Exception {
    String topic = newTopic(2);
    publishTagPuts(topic, 20, 4);
    var failures = new AtomicInteger();
    var applied = new CopyOnWriteArrayList<LogPosition>();

    try (var subscriber = KafkaEventSubscriber.start(settings(topic), Map.of(), batch -> {
      if (failures.getAndIncrement() < 2) throw new IllegalStateException("state store unavailable");
      batch.forEach(r -> applied.add(r.position()));
    })) {
      await().atMost(TIMEOUT).until(() -> applied.size() >= 20);
      assertThat(subscriber.isRunning()).isTrue();
    }

    assertThat(applied).doesNotHaveDuplicates().hasSize(20);
  }

  @Test
  void recordsArrivingWhileTheHandlerWorksAreFetchedAndComeTogetherAndAFailureReadsThemAgainInOrder() throws Exception {
    String topic = newTopic(2);
    var entered = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    var calls = new AtomicInteger();
    var batchSizes = new CopyOnWriteArrayList<Integer>();
    var applied = new CopyOnWriteArrayList<LogRecord>();
    try (var publisher = publisher(topic);
        var subscriber = KafkaEventSubscriber.start(settings(topic), Map.of(), batch -> {
          int call = calls.incrementAndGet();
          batchSizes.add(batch.size());
          if (call == 1) {
            entered.countDown();
            try {
              release.await(); // a long commit
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          if (call == 2) throw new IllegalStateException("state store unavailable");
          applied.addAll(batch);
        })) {
      publisher.send(tagPut(0, "repo-0")).get(60, TimeUnit.SECONDS);
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      var sends = new ArrayList<CompletableFuture<LogPosition>>();
      for (int i = 1; i <= 30; i++) sends.add(publisher.send(tagPut(i, "repo-" + (i % 4))));
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      // Fetched while the handler is still busy with the first record.
      await().atMost(TIMEOUT).until(() -> subscriber.queuedRecords() == 30);
      release.countDown();

      await().atMost(TIMEOUT).until(() -> applied.size() >= 31);
      assertThat(batchSizes.get(1)).as("everything fetched meanwhile, in one batch").isEqualTo(30);
      assertThat(batchSizes.get(2)).as("the failed batch, delivered again").isEqualTo(30);
      assertThat(subscriber.isRunning()).isTrue();
    }
    assertThat(applied).extracting(LogRecord::position).doesNotHaveDuplicates().hasSize(31);
    Map<Integer, List<Long>> offsets = applied.stream().collect(Collectors.groupingBy(LogRecord::partition,
        Collectors.mapping(LogRecord::offset, Collectors.toList())));
    offsets.values().forEach(list -> assertThat(list).isSorted());
  }

  @Test
  void recordsTheHandlerHoldsCountAsBehindUntilItReturns() throws Exception {
    String topic = newTopic(1);
    var entered = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    try (var publisher = publisher(topic);
        var subscriber = KafkaEventSubscriber.start(settings(topic), Map.of(), batch -> {
          entered.countDown();
          try {
            release.await(); // a long commit
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        })) {
      publisher.send(tagPut(0, "repo-0")).get(60, TimeUnit.SECONDS);
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      // Several polls (200 ms each) go by while the handler holds the record: none may report the region caught up.
      await().during(Duration.ofSeconds(1)).atMost(TIMEOUT)
          .until(() -> subscriber.recordsBehind().orElse(-1) == 1);
      release.countDown();
      await().atMost(TIMEOUT).until(() -> subscriber.recordsBehind().orElse(-1) == 0);
    }
  }

  @Test
  void pollsOfMoreInlineManifestBytesThanTheBoundAreAppliedInBatchesWithinItWithWhatWasPreparedAndResumeExactlyAfterARestart()
      throws Exception {
    String topic = newTopic(2);
    long bound = 128 * 1024;
    String inline = "A".repeat(30 * 1024); // a manifest near the 32 KiB inline limit, as its header
    int count = 40;
    try (var publisher = publisher(topic)) {
      var sends = new ArrayList<CompletableFuture<LogPosition>>();
      for (int i = 0; i < count; i++) {
        sends.add(publisher.send("repo-" + (i % 4), codec.encode(tagPut(i, "repo-" + (i % 4))), Map.of("meridian-manifest", inline)));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    // As replay does: a batch's records and its partitions' next offsets are "committed" together.
    var committed = new java.util.concurrent.ConcurrentHashMap<Integer, Long>();
    var applied = new CopyOnWriteArrayList<LogRecord>();
    var batchBytes = new CopyOnWriteArrayList<Long>();
    // After the restart, each poll is prepared on the polling thread, and each record must reach the handler with
    // what was prepared for it, however the bound cut the polls.
    var preparedRightly = new java.util.concurrent.atomic.AtomicInteger();
    var preparedWrongly = new CopyOnWriteArrayList<String>();
    RecordBatchHandler<String> replay = new RecordBatchHandler<>() {
      @Override
      public List<String> prepare(List<LogRecord> poll) {
        return poll.stream().map(r -> r.partition() + "/" + r.offset()).toList();
      }

      @Override
      public void handle(List<LogRecord> batch, List<String> prepared) {
        for (int i = 0; i < batch.size(); i++) {
          String expected = batch.get(i).partition() + "/" + batch.get(i).offset();
          if (expected.equals(prepared.get(i))) {
            preparedRightly.incrementAndGet();
          } else {
            preparedWrongly.add(expected + " got " + prepared.get(i));
          }
        }
        handle(batch);
      }

      @Override
      public void handle(List<LogRecord> batch) {
        synchronized (applied) {
          batchBytes.add(PendingPolls.bytesOf(batch));
          applied.addAll(batch);
          batch.forEach(r -> committed.merge(r.partition(), r.offset() + 1, Math::max));
        }
      }
    };
    var stopped = new java.util.concurrent.atomic.AtomicBoolean();
    try (var subscriber = KafkaEventSubscriber.start(settings(topic), Map.of(), batch -> {
      if (stopped.get()) throw new IllegalStateException("stopping"); // nothing of it is committed
      replay.handle(batch);
      if (batchBytes.size() == 3) stopped.set(true);
    }, bound)) {
      await().atMost(TIMEOUT).until(() -> stopped.get() || applied.size() >= count);
    }
    Map<Integer, Long> restartAt;
    synchronized (applied) {
      restartAt = Map.copyOf(committed);
    }
    try (var subscriber = KafkaEventSubscriber.start(settings(topic), restartAt, replay, bound)) {
      await().atMost(TIMEOUT).until(() -> applied.size() >= count);
    }

    assertThat(batchBytes).allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(bound));
    assertThat(batchBytes.size()).isGreaterThanOrEqualTo((int) (count * (long) inline.length() / bound));
    assertThat(applied).extracting(LogRecord::position).doesNotHaveDuplicates().hasSize(count);
    Map<Integer, List<Long>> offsets = applied.stream().collect(Collectors.groupingBy(LogRecord::partition,
        Collectors.mapping(LogRecord::offset, Collectors.toList())));
    offsets.values().forEach(list -> assertThat(list).isSorted());
    assertThat(applied).allSatisfy(r -> assertThat(r.headers().get("meridian-manifest")).isEqualTo(inline));
    assertThat(preparedWrongly).isEmpty();
    assertThat(preparedRightly.get()).isEqualTo(count - restartAt.values().stream().mapToInt(Long::intValue).sum());
  }

  @Test
  void sendReturnsAtOnceAndFailsLaterWhileNoBrokerAnswers() {
    int deadPort = FreePorts.two()[0];
    try (var publisher = new KafkaEventPublisher("127.0.0.1:" + deadPort, "nowhere", Duration.ofSeconds(2), 10)) {
      long start = System.nanoTime();
      CompletableFuture<LogPosition> sent = publisher.send(tagPut(1, "app"));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(elapsedMs).isLessThan(1_000); // the producer's own send() would block for max.block.ms
      await().atMost(Duration.ofSeconds(30)).until(sent::isDone);
      assertThat(sent).isCompletedExceptionally();
      assertThatThrownBy(sent::join).hasCauseInstanceOf(EventLogException.class);
    }
  }

  private List<LogRecord> readAll(String topic, Map<Integer, Long> from, int expected) {
    var received = new CopyOnWriteArrayList<LogRecord>();
    try (var subscriber = KafkaEventSubscriber.start(settings(topic), from, received::addAll)) {
      await().atMost(TIMEOUT).until(() -> received.size() >= expected);
      assertThat(subscriber.isRunning()).isTrue();
    }
    return List.copyOf(received);
  }

  private static KafkaEventSubscriber.Settings settings(String topic) {
    return new KafkaEventSubscriber.Settings(
        broker.bootstrapServers(), topic, "westus", Duration.ofMillis(200), Duration.ofMillis(200));
  }

  private static String newTopic(int partitions) {
    String topic = "events-" + TOPICS.incrementAndGet();
    topics.ensure(topic, partitions, (short) 1, TIMEOUT);
    return topic;
  }

  /** Publishes {@code count} tag puts over {@code repositories} repositories and waits until the broker took them all. */
  private static void publishTagPuts(String topic, int count, int repositories) throws Exception {
    try (var publisher = publisher(topic)) {
      var sends = new ArrayList<CompletableFuture<LogPosition>>();
      for (int i = 0; i < count; i++) sends.add(publisher.send(tagPut(i, "repo-" + (i % repositories))));
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
  }

  private static KafkaEventPublisher publisher(String topic) {
    return new KafkaEventPublisher(broker.bootstrapServers(), topic, Duration.ofSeconds(10), 2_000);
  }

  private static KafkaProducer<String, byte[]> rawProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(props);
  }

  private static TagPut tagPut(int i, String repository) {
    return new TagPut("evt-" + i, new RegionId("eastus"), new HlcTimestamp(1_000 + i, 0),
        new RepositoryName(repository), new Tag("v" + i), Digest.parse("sha256:" + String.format("%064x", i)));
  }
}
