package dev.meridian.agent.log;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic from positions the caller supplies and hands each polled batch to a
 * {@link RecordBatchHandler} on its own thread, until {@link #close()}.
 *
 * <p>It assigns itself every partition of the topic (manual assignment, no group rebalances): one agent
 * per region reads the whole log, and the offsets it has applied live in RocksDB next to the state they
 * produced (DESIGN.md §6), not in Kafka. So it never commits offsets; the group id only names the
 * region's reader to operators. At start each partition is sought to its supplied position (the next
 * offset to read); a partition without one, or whose position retention has already deleted, starts at
 * its earliest record. Partitions added to the topic later are not picked up until a restart.
 *
 * <p>If the handler throws, the batch's partitions are sought back to the batch's first records and the
 * batch is delivered again after a pause: nothing is skipped, so the handler must be idempotent.
 */
public final class KafkaEventSubscriber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventSubscriber.class);

  /** Where to read, as whom, and how long one poll may wait. */
  public record Settings(
      String bootstrapServers, String topic, String groupId, Duration pollTimeout, Duration retryPause,
      Map<String, String> clientProperties) {
    public Settings {
      requireNonNull(bootstrapServers, "bootstrapServers");
      requireNonNull(topic, "topic");
      requireNonNull(groupId, "groupId");
      requireNonNull(pollTimeout, "pollTimeout");
      requireNonNull(retryPause, "retryPause");
      clientProperties = KafkaClientProperties.validate(clientProperties);
    }

    public Settings(String bootstrapServers, String topic, String groupId, Duration pollTimeout, Duration retryPause) {
      this(bootstrapServers, topic, groupId, pollTimeout, retryPause, Map.of());
    }

    public static Settings of(String bootstrapServers, String topic, String groupId) {
      return new Settings(bootstrapServers, topic, groupId, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    /** The same with {@code properties} (TLS, SASL) added to the consumer's configuration. */
    public Settings withClientProperties(Map<String, String> properties) {
      return new Settings(bootstrapServers, topic, groupId, pollTimeout, retryPause, properties);
    }
  }

  private final Settings settings;
  private final KafkaConsumer<String, byte[]> consumer;
  private final RecordBatchHandler handler;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long recordsBehind = -1;

  private KafkaEventSubscriber(Settings settings, KafkaConsumer<String, byte[]> consumer, RecordBatchHandler handler) {
    this.settings = settings;
    this.consumer = consumer;
    this.handler = handler;
    this.thread = new Thread(this::pollLoop, "meridian-subscriber-" + settings.topic());
  }

  /**
   * Assigns every partition of the topic, seeks to {@code startPositions} (partition to next offset), and
   * starts polling. Throws {@link EventLogException} if the topic cannot be found.
   */
  public static KafkaEventSubscriber start(
      Settings settings, Map<Integer, Long> startPositions, RecordBatchHandler handler) {
    requireNonNull(handler, "handler");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(settings));
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) throw new EventLogException("topic " + settings.topic() + " not found");
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      var fromStart = new ArrayList<TopicPartition>();
      for (TopicPartition tp : partitions) {
        Long next = startPositions.get(tp.partition());
        if (next == null) fromStart.add(tp); else consumer.seek(tp, next);
      }
      consumer.seekToBeginning(fromStart);
      log.info("subscriber started topic={} group={} partitions={} stored_positions={}",
          settings.topic(), settings.groupId(), partitions.size(), startPositions);
    } catch (KafkaException | EventLogException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e instanceof EventLogException ele ? ele
          : new EventLogException("cannot subscribe to " + settings.topic() + ": " + e.getMessage(), e);
    }
    var subscriber = new KafkaEventSubscriber(settings, consumer, handler);
    subscriber.thread.start();
    return subscriber;
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  private void pollLoop() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> polled = consumer.poll(settings.pollTimeout());
        if (polled.isEmpty()) {
          measureLag();
          continue;
        }
        List<LogRecord> batch = new ArrayList<>(polled.count());
        polled.forEach(r -> batch.add(toLogRecord(r)));
        try {
          handler.handle(batch);
          measureLag();
        } catch (RuntimeException e) {
          log.error("batch handler failed topic={} records={} retry_in_ms={}",
              settings.topic(), batch.size(), settings.retryPause().toMillis(), e);
          rewind(batch);
          stopping.await(settings.retryPause().toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (WakeupException e) {
      if (running) log.error("subscriber woken up unexpectedly topic={}", settings.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("subscriber stopped by an error topic={}", settings.topic(), e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * Records not yet handed to the handler, summed over the assigned partitions, from what the last fetches
   * said (no broker round trip); empty until every partition's end is known.
   */
  public OptionalLong recordsBehind() {
    long lag = recordsBehind;
    return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
  }

  private void measureLag() {
    long sum = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isEmpty()) {
        recordsBehind = -1;
        return;
      }
      sum += lag.getAsLong();
    }
    recordsBehind = sum;
  }

  /** Seeks every partition in the batch back to its first record in the batch, so it is read again. */
  private void rewind(List<LogRecord> batch) {
    Map<Integer, Long> first = new HashMap<>();
    for (LogRecord r : batch) first.merge(r.partition(), r.offset(), Math::min);
    first.forEach((partition, offset) -> consumer.seek(new TopicPartition(settings.topic(), partition), offset));
  }

  private static LogRecord toLogRecord(ConsumerRecord<String, byte[]> r) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return new LogRecord(r.topic(), r.partition(), r.offset(), Optional.ofNullable(r.key()),
        r.value() == null ? new byte[0] : r.value(), headers, r.timestamp());
  }

  static Properties consumerProperties(Settings s) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, s.groupId() + "-" + s.topic());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // applied offsets live in RocksDB
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a position retention deleted
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // Replay commits each poll as one synced batch: a larger poll spreads that fsync over more events when
    // catching up, and changes nothing when following (a poll returns what is there).
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    return KafkaClientProperties.apply(props, s.clientProperties());
  }

  /** Stops the poll loop (waking a poll in progress), waits for it, and closes the consumer. */
  @Override
  public void close() {
    if (!running) return;
    running = false;
    stopping.countDown();
    consumer.wakeup();
    if (Thread.currentThread() == thread) return; // closed from inside the handler: the loop ends by itself
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
